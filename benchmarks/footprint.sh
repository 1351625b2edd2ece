#!/usr/bin/env bash
# What each kind of service costs, before and after a change: the sample app (REST, gRPC, Actuator, protection), a
# gRPC-only service and an in-process job (a plain Java main), each built from a git ref's artifacts, measured one
# after the other in rounds that alternate which build goes first. Per app: the size of what it ships (the
# executable jar, or the job's class path), the jars on its class path, the process time until it answers (Spring
# Boot's "process running for", or the job's first inference), the ports it listens on, and its resident memory
# after 10 s idle. Same JVM flags for all (the defaults), the same model (the sample's restaurant-ranker, from disk).
#
# Usage: benchmarks/footprint.sh [rounds (5)] [before ref (d6a9710, the last one-jar build)]
#        benchmarks/footprint.sh --report   (renders footprint.md again from the last run's runs.tsv)
# Writes benchmarks/results/footprint/footprint.md and runs.tsv. About 1 minute per round on 2 cores, after the
# builds (about 3 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
[ "$ROUNDS" = --report ] && ROUNDS=0
BEFORE=${2:-d6a9710}
OUT=benchmarks/results/footprint
ROOT=$PWD
MODELS=$ROOT/sample-app/src/main/resources/models
WORK=${FOOTPRINT_WORK:-$(mktemp -d /tmp/footprint.XXXXXX)}
mkdir -p "$OUT"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	git worktree remove --force "$WORK/before/src" 2>/dev/null || true
	[ -n "${FOOTPRINT_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "footprint: $*" >&2; exit 1; }

# Medians [min-max] per app and build, from runs.tsv
report() {
	local runs=$OUT/runs.tsv
	{
		echo "# What each kind of service costs, before and after"
		echo
		cat "$OUT/header.txt"
		echo
		echo "| app | build | shipped MB | jars | start-up ms | resident MB at idle | listening TCP ports |"
		echo "|---|---|---|---|---|---|---|"
		awk -F'\t' 'NR > 1 { key = $3 "\t" $2; n[key]++; s[key, n[key]] = $6; r[key, n[key]] = $7
				bytes[key] = $4; jars[key] = $5; ports[key] = $8 }
			function median(v, m,   i, j, t, a) { for (i = 1; i <= m; i++) a[i] = v[i]
				for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
				lo = a[1]; hi = a[m]; return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
			END { for (key in n) { m = n[key]
					for (i = 1; i <= m; i++) { vs[i] = s[key, i]; vr[i] = r[key, i] }
					ms = median(vs, m); slo = lo; shi = hi; mr = median(vr, m); rlo = lo; rhi = hi
					split(key, k, "\t")
					printf "| %s | %s | %.1f | %d | %d [%d–%d] | %.0f [%.0f–%.0f] | %d |\n", k[1], k[2], bytes[key] / 1048576,
						jars[key], ms, slo, shi, mr / 1024, rlo / 1024, rhi / 1024, ports[key] } }' "$runs" | sort -t'|' -k2,2 -k3,3r
		echo
		echo "Raw figures: \`runs.tsv\` (one line per run: round, build, app, shipped bytes, jars, start-up ms, resident KB,"
		echo "listening TCP ports)."
	} > "$OUT/footprint.md"
	cat "$OUT/footprint.md"
}

if [ "${1:-}" = --report ]; then
	# Renders footprint.md again from runs.tsv and header.txt, measuring nothing
	report
	exit 0
fi


# One Maven repository per build, so that both can be 0.1.0-SNAPSHOT: hard links to everything but our artifacts
repository() {
	local repo=$WORK/$1/m2
	mkdir -p "$repo"
	cp -al ~/.m2/repository/. "$repo"/
	rm -rf "$repo/io/github/modelregistry"
	echo "$repo"
}

dependency() {
	printf '\t\t<dependency>\n\t\t\t<groupId>%s</groupId>\n\t\t\t<artifactId>%s</artifactId>\n\t\t</dependency>\n' "$1" "$2"
}

# build <name> <ref> <modules>: installs the ref's modules, then writes and builds the gRPC-only service and the job
build() {
	local name=$1 ref=$2 modules=$3 src repo deps_job deps_grpc
	repo=$(repository "$name")
	if [ "$ref" = . ]; then
		src=$ROOT
	else
		src=$WORK/$name/src
		git worktree add -q --detach "$src" "$ref"
	fi
	echo "Building $name ($ref) ..."
	(cd "$src" && ./mvnw -B -q -o install -DskipTests -Dmaven.repo.local="$repo" -pl "$modules" -am)
	cp "$src"/sample-app/target/sample-app-*-exec.jar "$WORK/$name/sample-app.jar"
	if [ -d "$src/starter-grpc" ]; then
		deps_job=$(dependency io.github.modelregistry model-registry-core; dependency io.github.modelregistry model-registry-onnx)
		deps_grpc=$(dependency io.github.modelregistry model-registry-spring-boot-starter-grpc)
	else
		# The one-jar layout: the registry came with Spring Boot's auto-configuration, ONNX Runtime optional
		deps_job=$(dependency io.github.modelregistry model-registry-spring-boot; dependency com.microsoft.onnxruntime onnxruntime)
		deps_grpc=$(dependency io.github.modelregistry model-registry-spring-boot-starter
			dependency org.springframework.boot spring-boot-starter-grpc-server)
	fi
	for app in job grpc-service; do
		mkdir -p "$WORK/$name/$app"
		cp -r benchmarks/footprint/$app/src "$WORK/$name/$app/"
		local deps=$deps_job
		[ "$app" = grpc-service ] && deps=$deps_grpc
		awk -v deps="$deps" '{ if ($0 == "@DEPENDENCIES@") print deps; else print }' \
			"benchmarks/footprint/$app/pom.xml.in" > "$WORK/$name/$app/pom.xml"
	done
	if [ ! -d "$src/starter-grpc" ]; then
		sed -i 's|\.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT)) // @LOADER@|.onnx(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))|' \
			"$WORK/$name/job/src/main/java/footprint/Job.java"
	fi
	(cd "$WORK/$name/grpc-service" && "$ROOT/mvnw" -B -q -o package -Dmaven.repo.local="$repo")
	(cd "$WORK/$name/job" && "$ROOT/mvnw" -B -q -o package dependency:copy-dependencies -DincludeScope=runtime \
		-DoutputDirectory=target/lib -Dmaven.repo.local="$repo")
}

build before "$BEFORE" sample-app
build after . sample-app,starter-grpc

# Size in MB and jars of what each app ships
shipped() { # name app
	local dir=$WORK/$1
	case $2 in
		sample-app) echo "$(stat -c %s "$dir/sample-app.jar") $(unzip -l "$dir/sample-app.jar" | grep -c 'BOOT-INF/lib/.*\.jar$')" ;;
		grpc-service) local jar; jar=$(ls "$dir"/grpc-service/target/footprint-grpc-service-*.jar | grep -v original)
			echo "$(stat -c %s "$jar") $(unzip -l "$jar" | grep -c 'BOOT-INF/lib/.*\.jar$')" ;;
		job) echo "$(cat "$dir"/job/target/lib/*.jar "$dir"/job/target/footprint-job-*.jar | wc -c) $(( $(ls "$dir"/job/target/lib/*.jar | wc -l) + 1 ))" ;;
	esac
}

# run <name> <app>: prints "startup_ms rss_kb listening_ports"
run() {
	local dir=$WORK/$1 log=$WORK/$1-$2.log pid startup=""
	: > "$log"
	case $2 in
		sample-app) java -jar "$dir/sample-app.jar" --server.port=0 --management.server.port=0 --spring.grpc.server.port=0 \
			--spring.security.user.password=footprint > "$log" 2>&1 & ;;
		grpc-service) java -jar "$(ls "$dir"/grpc-service/target/footprint-grpc-service-*.jar | grep -v original)" \
			--server.port=0 --spring.grpc.server.port=0 --model-registry.base-path="file:$MODELS" \
			--model-registry.models.restaurant-ranker.load=eager > "$log" 2>&1 & ;;
		job) java -cp "$dir/job/target/classes:$dir/job/target/lib/*" footprint.Job "$MODELS" > "$log" 2>&1 & ;;
	esac
	pid=$!
	pids+=("$pid")
	for _ in $(seq 1 600); do
		startup=$(sed -n 's/.*process running for \([0-9.]*\)).*/\1/p; s/.*answered after \([0-9]*\) ms of process time.*/\1ms/p' "$log" | head -1)
		[ -n "$startup" ] && break
		kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "$1 $2 exited before it was ready"; }
		sleep 0.1
	done
	[ -n "$startup" ] || { cat "$log" >&2; fail "$1 $2 was not ready within 60 s"; }
	case $startup in
		*ms) startup=${startup%ms} ;;
		*) startup=$(awk -v s="$startup" 'BEGIN { printf "%d", s * 1000 }') ;;
	esac
	sleep 10
	local rss ports
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
	ports=$(ss -ltnpH 2>/dev/null | grep -c "pid=$pid," || true)
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	echo "$startup $rss $ports"
}

runs=$OUT/runs.tsv
printf 'round\tbuild\tapp\tshipped_bytes\tjars\tstartup_ms\trss_kb\tlistening_ports\n' > "$runs"
for round in $(seq 1 "$ROUNDS"); do
	order=(before after)
	((round % 2 == 0)) && order=(after before)
	for app in sample-app grpc-service job; do
		for name in "${order[@]}"; do
			read -r bytes jars < <(shipped "$name" "$app")
			read -r startup rss ports < <(run "$name" "$app")
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$app" "$bytes" "$jars" "$startup" "$rss" "$ports" \
				| tee -a "$runs"
		done
	done
done

{
	echo "\`benchmarks/footprint.sh $ROUNDS $BEFORE\`, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1);"
	echo "before: $BEFORE ($(git log -1 --format=%s "$BEFORE" | cut -c1-60)...), after: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes')."
	echo "Medians of $ROUNDS rounds [min–max]; the builds alternate which goes first; resident memory 10 s after the app answered."
} > "$OUT/header.txt"
report
