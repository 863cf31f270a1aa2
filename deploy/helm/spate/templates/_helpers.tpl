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
(both pinned by a test against dev.spate.operator.rbac.ApiAccess: OPERATOR plus DRIVER).
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
# each job's own driver ServiceAccount, Role and RoleBinding <job>-driver, unless the job names a
# ServiceAccount: created (server-side apply: a PATCH), the Role and binding kept up to date (the
# Role names the attempt's driver pod), deleted when the job names a ServiceAccount of its own;
# otherwise the garbage collector removes them with the job
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [get, list, watch, create, update, patch, delete]
# used by no operator code: held so that the operator may grant them in each driver Role
# (Kubernetes lets it create a Role only with permissions it holds itself; deploy/README.md
# "Security"): Spark deletes executor pods and its executor ConfigMap by label, and creates,
# lists and deletes on-demand executor PVCs
- apiGroups: [""]
  resources: [pods, configmaps]
  verbs: [deletecollection]
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [list, create, deletecollection]
{{- end -}}
