{{/*
Chart name, truncated to the 63 characters a label value may hold.
*/}}
{{- define "model-registry.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's resources: the release name, followed by the chart name unless the release name
already contains it.
*/}}
{{- define "model-registry.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "model-registry.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every resource (Helm's recommended app.kubernetes.io/* set). Takes a dict: the root context as
"context" and the resource's role as "component" (server, config, credentials, models, management, metrics).
*/}}
{{- define "model-registry.labels" -}}
{{- $ctx := .context -}}
helm.sh/chart: {{ include "model-registry.chart" $ctx }}
{{ include "model-registry.selectorLabels" $ctx }}
app.kubernetes.io/version: {{ $ctx.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .component | default "server" }}
app.kubernetes.io/part-of: model-registry
app.kubernetes.io/managed-by: {{ $ctx.Release.Service }}
{{- end }}

{{/*
Selector labels: stable across upgrades, so they never include the version.
*/}}
{{- define "model-registry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "model-registry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Selector of the app's pods (the selector labels plus the server component).
*/}}
{{- define "model-registry.podSelectorLabels" -}}
{{ include "model-registry.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{/*
Name of the ServiceAccount the pods run as.
*/}}
{{- define "model-registry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "model-registry.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding the Actuator password: the existing one, or the chart's own.
*/}}
{{- define "model-registry.secretName" -}}
{{- if .Values.auth.existingSecret }}
{{- .Values.auth.existingSecret }}
{{- else }}
{{- include "model-registry.fullname" . }}
{{- end }}
{{- end }}

{{/*
Key of the password in that Secret.
*/}}
{{- define "model-registry.secretKey" -}}
{{- if .Values.auth.existingSecret }}
{{- .Values.auth.existingSecretKey }}
{{- else -}}
password
{{- end }}
{{- end }}

{{/*
An image reference from {repository, tag, digest}; the second argument is the default tag.
*/}}
{{- define "model-registry.imageRef" -}}
{{- $image := index . 0 -}}
{{- $defaultTag := index . 1 -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default $defaultTag $image.tag | toString) -}}
{{- end -}}
{{- end }}

{{/*
The base path of the model repository, as model-registry.base-path.
*/}}
{{- define "model-registry.basePath" -}}
{{- if eq .Values.modelStorage.type "image" -}}
classpath:models
{{- else -}}
{{- printf "file:%s" .Values.modelStorage.mountPath -}}
{{- end -}}
{{- end }}

{{/*
Seconds Kubernetes waits between starting to stop a pod and SIGKILL: the preStop sleep, then graceful shutdown
(the app's SIGTERM), then a margin for the models to close once their last reader has left, unless set.
*/}}
{{- define "model-registry.terminationGracePeriodSeconds" -}}
{{- $s := .Values.shutdown -}}
{{- if $s.terminationGracePeriodSeconds -}}
{{- $s.terminationGracePeriodSeconds -}}
{{- else -}}
{{- add $s.preStopSleepSeconds $s.timeoutSeconds 10 -}}
{{- end -}}
{{- end }}

{{/*
The app's application.yaml (the ConfigMap's only entry): what the chart decides (strategy, models, storage,
ports, probes, limits) merged over extraConfig. Never any credential: the password comes from the Secret
through the environment.
*/}}
{{- define "model-registry.applicationYaml" -}}
{{- $v := .Values -}}
{{- $models := dict -}}
{{- range $name, $m := $v.models }}
{{- $model := dict "load" ($m.load | default "eager") -}}
{{- if $m.version }}{{ $_ := set $model "version" ($m.version | int64) }}{{ end -}}
{{- if $m.strategy }}{{ $_ := set $model "strategy" $m.strategy }}{{ end -}}
{{- if hasKey $m "warmup" }}{{ if not (kindIs "invalid" $m.warmup) }}{{ $_ := set $model "warmup" $m.warmup }}{{ end }}{{ end -}}
{{- if $m.path }}{{ $_ := set $model "path" $m.path }}{{ end -}}
{{- if $m.latest }}{{ $_ := set $model "version-policy" (dict "latest" ($m.latest | int64)) }}{{ end -}}
{{- if $m.evictable }}{{ $_ := set $model "evictable" true }}{{ end -}}
{{- if $m.pollInterval }}
{{- $_ := set $model "poll-interval" $m.pollInterval -}}
{{- else if eq $v.modelStorage.type "volume" }}
{{- $_ := set $model "poll-interval" $v.modelStorage.volume.pollInterval -}}
{{- end }}
{{- $_ := set $models $name $model -}}
{{- end }}
{{- $web := dict "max-request-size" $v.web.maxRequestSize "max-elements" ($v.web.maxElements | int64) -}}
{{- $inference := dict "max-queued" ($v.inference.maxQueued | int64) -}}
{{- if $v.inference.threads }}{{ $_ := set $inference "threads" ($v.inference.threads | int64) }}{{ end -}}
{{- $onnx := dict "intra-op-threads" ($v.onnx.intraOpThreads | int64) "inter-op-threads" ($v.onnx.interOpThreads | int64) "optimization-level" $v.onnx.optimizationLevel -}}
{{- $registry := dict "strategy" $v.strategy "base-path" (include "model-registry.basePath" .) "models" $models "web" $web "inference" $inference "onnx" $onnx -}}
{{- if and $v.memory $v.memory.max }}{{ $_ := set $registry "memory" (dict "max" $v.memory.max) }}{{ end -}}
{{- $chart := dict
  "server" (dict "port" ($v.ports.http | int64) "shutdown" "graceful")
  "spring" (dict
    "lifecycle" (dict "timeout-per-shutdown-phase" (printf "%ds" ($v.shutdown.timeoutSeconds | int64)))
    "security" (dict "user" (dict "name" $v.auth.username)))
  "management" (dict
    "server" (dict "port" ($v.ports.management | int64))
    "endpoints" (dict "web" (dict "exposure" (dict "include" "health, info, prometheus, models")))
    "endpoint" (dict "health" (dict
      "probes" (dict "enabled" true)
      "group" (dict "readiness" (dict "include" "readinessState, models"))))) 
  "model-registry" $registry -}}
{{- mergeOverwrite (deepCopy ($v.extraConfig | default dict)) $chart | toYaml }}
{{- end }}
