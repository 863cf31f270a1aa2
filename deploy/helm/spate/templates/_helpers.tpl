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
# the primary resource: JOSDK's informer; its finalizer added and removed with a patch; a GET when
# such a patch meets a conflict; the status written whole with a PUT
- apiGroups: [spate.dev]
  resources: [streamingjobs]
  verbs: [get, list, watch, patch]
- apiGroups: [spate.dev]
  resources: [streamingjobs/status]
  verbs: [update]
# every owned object names its job with blockOwnerDeletion: true (checked by the
# OwnerReferencesPermissionEnforcement admission plugin where it is enabled)
- apiGroups: [spate.dev]
  resources: [streamingjobs/finalizers]
  verbs: [update]
# driver pods created, driver and executor pods watched and deleted one by one (never updated);
# get and deletecollection are the drivers' (below)
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, create, delete, deletecollection]
# headless driver Service, Spark conf and control ConfigMaps: created (a POST, or a server-side
# apply PATCH), brought back when changed (PUT or PATCH); delete because the admission plugin
# above lets only a subject that may delete an object create it with an owner reference (the
# garbage collector deletes them with the job); get and deletecollection are the drivers'
- apiGroups: [""]
  resources: [services]
  verbs: [list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch, create, update, patch, delete, deletecollection]
# only the Secrets jobs reference (client config, checkpoint credentials), each through its own
# informer whose list and watch carry the field selector metadata.name=<name> (no GET, no list
# of every Secret; RBAC cannot narrow a list to a field selector nor name Secrets unknown in
# advance); and each job's Spark authentication Secret <job>-spark-auth (created once with a
# POST, never changed, removed by the garbage collector with the job; watched by label; delete
# for its owner reference, as above)
- apiGroups: [""]
  resources: [secrets]
  verbs: [list, watch, create, delete]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
# each job's own driver ServiceAccount, Role and RoleBinding <job>-driver, unless the job names a
# ServiceAccount: created (a POST, or a server-side apply PATCH), the Role and binding kept up to
# date (PUT or PATCH; the Role names the attempt's driver pod), deleted when the job names a
# ServiceAccount of its own; otherwise the garbage collector removes them with the job
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [list, watch, create, patch, delete]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [list, watch, create, update, patch, delete]
# used by no operator code: held so that the operator may grant them in each driver Role
# (Kubernetes lets it create a Role only with permissions it holds itself; deploy/README.md
# "Security"): Spark creates, lists and deletes on-demand executor PVCs (delete also for the
# owner-reference admission check: the driver pod owns them)
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [list, create, delete, deletecollection]
{{- end -}}
