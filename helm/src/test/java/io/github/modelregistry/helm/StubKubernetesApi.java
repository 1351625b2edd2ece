package io.github.modelregistry.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpServer;

/**
 * A Kubernetes API that knows nothing: every request gets 404. The chart's Secret template calls {@code lookup} to
 * keep a generated password across upgrades; with no cluster at all, helm-java's template fails to reach the API
 * (it has no client-only mode), while against an API that answers 404 {@code lookup} returns nothing, as on a first
 * install. Surefire points {@code KUBECONFIG} at the file this writes (see the pom), on loopback only.
 */
final class StubKubernetesApi {

	private static HttpServer server;

	private StubKubernetesApi() {
	}

	static synchronized void start() {
		if (server != null) {
			return;
		}
		String kubeconfig = System.getenv("KUBECONFIG");
		if (kubeconfig == null) {
			throw new IllegalStateException("Run through Maven: surefire sets KUBECONFIG for the stub API");
		}
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/", (exchange) -> {
				byte[] body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}"
					.getBytes(java.nio.charset.StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(404, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			server.start();
			Path file = Path.of(kubeconfig);
			Files.createDirectories(file.getParent());
			Files.writeString(file, """
					apiVersion: v1
					kind: Config
					clusters:
					- name: stub
					  cluster:
					    server: http://127.0.0.1:%d
					contexts:
					- name: stub
					  context:
					    cluster: stub
					    user: stub
					current-context: stub
					users:
					- name: stub
					  user: {}
					""".formatted(server.getAddress().getPort()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
