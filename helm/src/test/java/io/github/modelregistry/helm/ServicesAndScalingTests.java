package io.github.modelregistry.helm;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How traffic reaches the replicas and how their number changes: the API Service (never the management port), the
 * optional management Service, ServiceMonitor and Ingress, the HorizontalPodAutoscaler and the PodDisruptionBudget.
 */
class ServicesAndScalingTests {

	@Test
	void apiServiceExposesTheApiPortAndNotTheManagementPort() {
		Manifests manifests = Chart.render();
		assertThat(manifests.ofKind("Service")).hasSize(1);
		JsonNode service = manifests.get("Service", Chart.FULLNAME);
		assertThat(service.at("/spec/ports").size()).isEqualTo(1);
		assertThat(service.at("/spec/ports/0/targetPort").stringValue()).isEqualTo("http");
		assertThat(service.at("/spec/ports/0/port").intValue()).isEqualTo(80);
		assertThat(service.at("/spec/selector")).isEqualTo(manifests.deployment().at("/spec/selector/matchLabels"));
		assertThat(manifests.ofKind("ServiceMonitor")).isEmpty();
		assertThat(manifests.ofKind("Ingress")).isEmpty();
	}

	@Test
	void serviceMonitorScrapesPrometheusOnAManagementServiceOfItsOwn() {
		Manifests manifests = Chart.render("""
				serviceMonitor:
				  enabled: true
				  interval: 15s
				  labels:
				    release: kube-prometheus-stack
				""");
		JsonNode management = manifests.get("Service", Chart.FULLNAME + "-management");
		assertThat(management.at("/spec/type").stringValue()).isEqualTo("ClusterIP");
		assertThat(management.at("/spec/ports/0/name").stringValue()).isEqualTo("management");
		assertThat(management.at("/spec/ports/0/targetPort").stringValue()).isEqualTo("management");
		// The API Service still has the API port only
		assertThat(manifests.get("Service", Chart.FULLNAME).at("/spec/ports").size()).isEqualTo(1);

		JsonNode monitor = manifests.get("ServiceMonitor", Chart.FULLNAME);
		assertThat(monitor.path("apiVersion").stringValue()).isEqualTo("monitoring.coreos.com/v1");
		assertThat(monitor.at("/metadata/labels/release").stringValue()).isEqualTo("kube-prometheus-stack");
		assertThat(monitor.at("/spec/endpoints/0/port").stringValue()).isEqualTo("management");
		assertThat(monitor.at("/spec/endpoints/0/path").stringValue()).isEqualTo("/actuator/prometheus");
		assertThat(monitor.at("/spec/endpoints/0/interval").stringValue()).isEqualTo("15s");
		assertThat(monitor.at("/spec/namespaceSelector/matchNames/0").stringValue()).isEqualTo(Chart.NAMESPACE);
		// It selects the management Service and no other
		JsonNode selector = monitor.at("/spec/selector/matchLabels");
		selector.properties()
			.forEach((label) -> assertThat(management.at("/metadata/labels").path(label.getKey()))
				.isEqualTo(label.getValue()));
		assertThat(selector.path("app.kubernetes.io/component").stringValue()).isEqualTo("management");
	}

	@Test
	void ingressRoutesHostsToTheApiService() {
		JsonNode ingress = Chart.render("""
				ingress:
				  enabled: true
				  className: nginx
				  hosts:
				    - host: recs.example.com
				      paths: [{path: /v2}]
				  tls:
				    - secretName: recs-tls
				      hosts: [recs.example.com]
				""").get("Ingress", Chart.FULLNAME);
		assertThat(ingress.at("/spec/ingressClassName").stringValue()).isEqualTo("nginx");
		JsonNode rule = ingress.at("/spec/rules/0");
		assertThat(rule.path("host").stringValue()).isEqualTo("recs.example.com");
		assertThat(rule.at("/http/paths/0/path").stringValue()).isEqualTo("/v2");
		assertThat(rule.at("/http/paths/0/pathType").stringValue()).isEqualTo("Prefix");
		assertThat(rule.at("/http/paths/0/backend/service/name").stringValue()).isEqualTo(Chart.FULLNAME);
		assertThat(rule.at("/http/paths/0/backend/service/port/name").stringValue()).isEqualTo("http");
		assertThat(ingress.at("/spec/tls/0/secretName").stringValue()).isEqualTo("recs-tls");
	}

	@Test
	void autoscalerScalesOnCpuAndTakesReplicasOverFromTheDeployment() {
		Manifests manifests = Chart.render("""
				autoscaling:
				  enabled: true
				  minReplicas: 3
				  maxReplicas: 12
				  targetCPUUtilizationPercentage: 60
				""");
		JsonNode hpa = manifests.get("HorizontalPodAutoscaler", Chart.FULLNAME);
		assertThat(hpa.path("apiVersion").stringValue()).isEqualTo("autoscaling/v2");
		assertThat(hpa.at("/spec/scaleTargetRef/kind").stringValue()).isEqualTo("Deployment");
		assertThat(hpa.at("/spec/scaleTargetRef/name").stringValue()).isEqualTo(Chart.FULLNAME);
		assertThat(hpa.at("/spec/minReplicas").intValue()).isEqualTo(3);
		assertThat(hpa.at("/spec/maxReplicas").intValue()).isEqualTo(12);
		assertThat(hpa.at("/spec/metrics/0/resource/name").stringValue()).isEqualTo("cpu");
		assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").intValue()).isEqualTo(60);
		// Otherwise every upgrade would reset the autoscaler's choice
		assertThat(manifests.deployment().at("/spec").has("replicas")).isFalse();
	}

	@Test
	void replicaCountIsSetWhenNotAutoscaling() {
		Manifests manifests = Chart.renderWithSet(Map.of("replicaCount", 6));
		assertThat(manifests.deployment().at("/spec/replicas").intValue()).isEqualTo(6);
		assertThat(manifests.ofKind("HorizontalPodAutoscaler")).isEmpty();
	}

	@Test
	void podDisruptionBudgetKeepsAllButOneReplicaThroughDrains() {
		Manifests manifests = Chart.render();
		JsonNode budget = manifests.get("PodDisruptionBudget", Chart.FULLNAME);
		assertThat(budget.at("/spec/maxUnavailable").intValue()).isEqualTo(1);
		assertThat(budget.at("/spec").has("minAvailable")).isFalse();
		assertThat(budget.at("/spec/selector/matchLabels")).isEqualTo(manifests.deployment().at("/spec/selector/matchLabels"));

		JsonNode byPercentage = Chart.renderWithSet(Map.of("podDisruptionBudget.minAvailable", "50%"))
			.get("PodDisruptionBudget", Chart.FULLNAME);
		assertThat(byPercentage.at("/spec/minAvailable").stringValue()).isEqualTo("50%");
		assertThat(byPercentage.at("/spec").has("maxUnavailable")).isFalse();
		assertThat(Chart.renderWithSet(Map.of("podDisruptionBudget.enabled", false)).ofKind("PodDisruptionBudget")).isEmpty();
	}

}
