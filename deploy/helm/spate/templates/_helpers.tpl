{{/* Name of the operator's ServiceAccount, (Cluster)Roles, bindings and Deployment. */}}
{{- define "spate.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object; the kustomize base sets part-of only. */}}
{{- define "spate.labels" -}}
app.kubernetes.io/part-of: spate
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Pod selector of the operator. */}}
{{- define "spate.selectorLabels" -}}
app.kubernetes.io/name: spate-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
What the operator does, and nothing more: the same rules as deploy/operator/clusterrole.yaml
(both pinned by a test against dev.spate.operator.rbac.ApiAccess.OPERATOR).
*/}}
{{- define "spate.operatorRules" -}}
# the primary resource: watch, add/remove the finalizer, write status
- apiGroups: [spate.dev]
  resources: [streamingjobs]
  verbs: [get, list, watch, patch, update]
- apiGroups: [spate.dev]
  resources: [streamingjobs/status]
  verbs: [get, patch, update]
# owner references with blockOwnerDeletion on the owned objects
- apiGroups: [spate.dev]
  resources: [streamingjobs/finalizers]
  verbs: [update]
# the driver pod (created and deleted, never updated); executor pods watched and deleted
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, create, delete]
# headless driver Service, Spark conf and control ConfigMaps
- apiGroups: [""]
  resources: [services, configmaps]
  verbs: [get, list, watch, create, update, patch, delete]
# only the Secrets jobs reference (client config, checkpoint credentials), each through its own
# informer whose list and watch carry the field selector metadata.name=<name> (no GET, no list
# of every Secret; RBAC cannot narrow a list to a field selector nor name Secrets unknown in
# advance); and each job's Spark authentication Secret <job>-spark-auth (created once with a
# POST, never changed, removed by the garbage collector with the job; watched by label)
- apiGroups: [""]
  resources: [secrets]
  verbs: [list, watch, create]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}

{{/*
What a Spate driver calls in its job namespace: the same rules as deploy/driver-rbac/ (pinned by a
test against dev.spate.operator.rbac.ApiAccess.DRIVER).
*/}}
{{- define "spate.driverRules" -}}
# executor pods: created, watched, listed, deleted one by one and by label at stop
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, create, delete, deletecollection]
# executor conf ConfigMap; the control ConfigMap read, watched and patched by the driver plugin
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch, create, patch, delete, deletecollection]
# driver services deleted by label at stop
- apiGroups: [""]
  resources: [services]
  verbs: [deletecollection]
# on-demand executor PVCs
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [get, list, create, delete, deletecollection]
{{- end -}}
