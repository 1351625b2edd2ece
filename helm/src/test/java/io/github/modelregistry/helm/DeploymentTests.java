package io.github.modelregistry.helm;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Deployment with the default values: hardened, probed on the app's Actuator port, sized from its memory limit
 * and stopped gracefully. Numbers the app sets itself (ports, shutdown timeout, user) are read from the sample app's
 * application.yaml, so a change there that the chart does not follow fails here.
 */
class DeploymentTests {

	private final Manifests manifests = Chart.render();

	@Test
	void defaultValuesRenderAHardenedDeployment() {
		JsonNode pod = this.manifests.podSpec();
		assertThat(pod.at("/securityContext/runAsNonRoot").booleanValue()).isTrue();
		assertThat(pod.at("/securityContext/runAsUser").intValue()).isPositive();
		assertThat(pod.at("/securityContext/seccompProfile/type").stringValue()).isEqualTo("RuntimeDefault");
		assertThat(pod.at("/automountServiceAccountToken").booleanValue()).isFalse();

		JsonNode container = this.manifests.appContainer().path("securityContext");
		assertThat(container.path("runAsNonRoot").booleanValue()).isTrue();
		assertThat(container.path("readOnlyRootFilesystem").booleanValue()).isTrue();
		assertThat(container.path("allowPrivilegeEscalation").booleanValue()).isFalse();
		assertThat(container.path("privileged").booleanValue()).isFalse();
		assertThat(container.at("/capabilities/drop").valueStream().map(JsonNode::stringValue)).containsExactly("ALL");
	}

	@Test
	void readOnlyRootFilesystemLeavesAWritableTmpForNativeLibraries() {
		assertThat(this.manifests.mount("tmp").path("mountPath").stringValue()).isEqualTo("/tmp");
		assertThat(this.manifests.mount("tmp").path("readOnly").asBoolean()).isFalse();
		assertThat(this.manifests.volume("tmp").at("/emptyDir/sizeLimit").stringValue()).isEqualTo("256Mi");
		// ONNX Runtime unpacks its native library into java.io.tmpdir
		assertThat(this.manifests.env("JAVA_TOOL_OPTIONS").path("value").stringValue()).contains("-Djava.io.tmpdir=/tmp");
	}

	@Test
	void probesUseTheActuatorPathsOnTheAppsManagementPort() {
		int managementPort = SampleAppConfiguration.at("/management/server/port").asInt();
		assertThat(SampleAppConfiguration.at("/management/endpoint/health/probes/enabled").asBoolean()).isTrue();

		JsonNode container = this.manifests.appContainer();
		assertThat(this.manifests.port("management").path("containerPort").intValue()).isEqualTo(managementPort);
		assertThat(container.at("/startupProbe/httpGet/path").stringValue()).isEqualTo("/actuator/health/liveness");
		assertThat(container.at("/livenessProbe/httpGet/path").stringValue()).isEqualTo("/actuator/health/liveness");
		assertThat(container.at("/readinessProbe/httpGet/path").stringValue()).isEqualTo("/actuator/health/readiness");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			assertThat(container.at("/" + probe + "/httpGet/port").stringValue()).as(probe).isEqualTo("management");
		}
		// The app is told the same port the probes knock on, and the health groups they need
		JsonNode config = this.manifests.applicationYaml();
		assertThat(config.at("/management/server/port").intValue()).isEqualTo(managementPort);
		assertThat(config.at("/management/endpoint/health/probes/enabled").booleanValue()).isTrue();
		assertThat(config.at("/management/endpoint/health/group/readiness/include").stringValue())
			.isEqualTo(SampleAppConfiguration.at("/management/endpoint/health/group/readiness/include").stringValue());
	}

	@Test
	void apiPortIsTheAppsServerPort() {
		int serverPort = SampleAppConfiguration.at("/server").path("port").asInt(8080);
		assertThat(this.manifests.port("http").path("containerPort").intValue()).isEqualTo(serverPort);
		assertThat(this.manifests.applicationYaml().at("/server/port").intValue()).isEqualTo(serverPort);
	}

	@Test
	void movedPortsMoveTheProbesAndTheAppTogether() {
		Manifests moved = Chart.renderWithSet(Map.of("ports.http", 9080, "ports.management", 9081));
		assertThat(moved.port("http").path("containerPort").intValue()).isEqualTo(9080);
		assertThat(moved.port("management").path("containerPort").intValue()).isEqualTo(9081);
		assertThat(moved.applicationYaml().at("/server/port").intValue()).isEqualTo(9080);
		assertThat(moved.applicationYaml().at("/management/server/port").intValue()).isEqualTo(9081);
		assertThat(moved.appContainer().at("/readinessProbe/httpGet/port").stringValue()).isEqualTo("management");
	}

	@Test
	void terminationGracePeriodOutlastsThePreStopSleepAndGracefulShutdown() {
		Duration appShutdownPhase = Duration
			.parse("PT" + SampleAppConfiguration.at("/spring/lifecycle/timeout-per-shutdown-phase").stringValue());
		assertThat(SampleAppConfiguration.at("/server/shutdown").stringValue()).isEqualTo("graceful");

		JsonNode config = this.manifests.applicationYaml();
		assertThat(config.at("/server/shutdown").stringValue()).isEqualTo("graceful");
		assertThat(config.at("/spring/lifecycle/timeout-per-shutdown-phase").stringValue())
			.isEqualTo(appShutdownPhase.toSeconds() + "s");

		JsonNode preStop = this.manifests.appContainer().at("/lifecycle/preStop/exec/command");
		long preStopSleep = Long.parseLong(preStop.get(1).stringValue());
		assertThat(preStop.get(0).stringValue()).isEqualTo("sleep");
		assertThat(this.manifests.podSpec().path("terminationGracePeriodSeconds").longValue())
			.isGreaterThan(preStopSleep + appShutdownPhase.toSeconds());
	}

	@Test
	void longerGracefulShutdownLengthensTheGracePeriod() {
		Manifests slow = Chart.renderWithSet(Map.of("shutdown.timeoutSeconds", 60));
		assertThat(slow.applicationYaml().at("/spring/lifecycle/timeout-per-shutdown-phase").stringValue()).isEqualTo("60s");
		assertThat(slow.podSpec().path("terminationGracePeriodSeconds").intValue()).isEqualTo(5 + 60 + 10);
	}

	@Test
	void heapIsSizedFromTheMemoryLimitLeavingRoomForNativeModelMemory() {
		JsonNode resources = this.manifests.appContainer().path("resources");
		assertThat(resources.at("/requests/cpu").isMissingNode()).isFalse();
		assertThat(resources.at("/requests/memory").isMissingNode()).isFalse();
		assertThat(resources.at("/limits/memory").stringValue()).isEqualTo("1Gi");
		assertThat(resources.at("/limits/cpu").stringValue()).isEqualTo("2");
		String jvmOptions = this.manifests.env("JAVA_TOOL_OPTIONS").path("value").stringValue();
		assertThat(jvmOptions).contains("-XX:MaxRAMPercentage=50.0", "-XX:+ExitOnOutOfMemoryError");
		// No fixed heap that would ignore the limit
		assertThat(jvmOptions).doesNotContain("-Xmx");

		Manifests tuned = Chart.renderWithSet(Map.of("jvm.maxRamPercentage", 40, "jvm.extraOptions", "-XX:+UseZGC"));
		assertThat(tuned.env("JAVA_TOOL_OPTIONS").path("value").stringValue())
			.contains("-XX:MaxRAMPercentage=40.0")
			.endsWith("-XX:+UseZGC");
	}

	@Test
	void configurationIsMountedWhereSpringBootReadsIt() {
		assertThat(this.manifests.env("SPRING_CONFIG_ADDITIONAL_LOCATION").path("value").stringValue()).isEqualTo("/config/");
		assertThat(this.manifests.mount("config").path("mountPath").stringValue()).isEqualTo("/config");
		assertThat(this.manifests.mount("config").path("readOnly").booleanValue()).isTrue();
		assertThat(this.manifests.volume("config").at("/configMap/name").stringValue()).isEqualTo(Chart.FULLNAME);
	}

	@Test
	void changedConfigurationRollsThePods() {
		String checksum = this.manifests.deployment().at("/spec/template/metadata/annotations/checksum~1config").stringValue();
		String rwlock = Chart.renderWithSet(Map.of("strategy", "rwlock"))
			.deployment()
			.at("/spec/template/metadata/annotations/checksum~1config")
			.stringValue();
		assertThat(checksum).hasSize(64).isNotEqualTo(rwlock);
	}

	@Test
	void replicasRollOutWithoutLosingCapacityAndSpreadOverNodes() {
		JsonNode spec = this.manifests.deployment().path("spec");
		assertThat(spec.path("replicas").intValue()).isEqualTo(2);
		assertThat(spec.at("/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
		JsonNode spread = this.manifests.podSpec().at("/topologySpreadConstraints/0");
		assertThat(spread.path("topologyKey").stringValue()).isEqualTo("kubernetes.io/hostname");
		assertThat(spread.at("/labelSelector/matchLabels")).isEqualTo(spec.at("/selector/matchLabels"));
	}

	@Test
	void imageTagDefaultsToTheAppVersionAndADigestPinsIt() {
		assertThat(this.manifests.appContainer().path("image").stringValue())
			.isEqualTo("model-registry/sample-app:0.1.0-SNAPSHOT");
		String digest = "sha256:" + "ab".repeat(32);
		assertThat(Chart.renderWithSet(Map.of("image.repository", "registry.example.com/ml/sample-app", "image.tag", "1.2.3"))
			.appContainer()
			.path("image")
			.stringValue()).isEqualTo("registry.example.com/ml/sample-app:1.2.3");
		assertThat(Chart.renderWithSet(Map.of("image.digest", digest)).appContainer().path("image").stringValue())
			.isEqualTo("model-registry/sample-app@" + digest);
	}

	@Test
	void everyObjectCarriesTheRecommendedLabels() {
		Manifests everything = Chart.render("""
				autoscaling: {enabled: true}
				ingress: {enabled: true}
				serviceMonitor: {enabled: true}
				modelStorage: {type: volume, volume: {create: true}}
				""");
		assertThat(everything.all()).hasSizeGreaterThanOrEqualTo(11);
		for (JsonNode object : everything.all()) {
			JsonNode labels = object.at("/metadata/labels");
			assertThat(labels.path("app.kubernetes.io/name").stringValue()).isEqualTo("model-registry");
			assertThat(labels.path("app.kubernetes.io/instance").stringValue()).isEqualTo(Chart.RELEASE);
			assertThat(labels.path("app.kubernetes.io/version").stringValue()).isEqualTo("0.1.0-SNAPSHOT");
			assertThat(labels.path("app.kubernetes.io/component").stringValue()).isNotEmpty();
			assertThat(labels.path("app.kubernetes.io/part-of").stringValue()).isEqualTo("model-registry");
			assertThat(labels.path("app.kubernetes.io/managed-by").stringValue()).isEqualTo("Helm");
			assertThat(labels.path("helm.sh/chart").stringValue()).isEqualTo("model-registry-0.1.0");
		}
	}

}
