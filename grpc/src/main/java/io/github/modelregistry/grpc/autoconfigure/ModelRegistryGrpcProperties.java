package io.github.modelregistry.grpc.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Open Inference Protocol's gRPC service, served by Spring Boot's gRPC server (spring.grpc.server.*: its
 * port, 9090 by default, and its largest inbound message, spring.grpc.server.inbound.message.max-size).
 */
@ConfigurationProperties("model-registry.grpc")
public class ModelRegistryGrpcProperties {

	/**
	 * Whether to serve inference.GRPCInferenceService when Spring Boot's gRPC server is on the class path.
	 */
	private boolean enabled = true;

	/**
	 * Most tensor elements one request may hold, summed over its inputs; more are answered with
	 * RESOURCE_EXHAUSTED.
	 */
	private int maxElements = 4 * 1024 * 1024;

	/**
	 * Longest time a client may take to send its whole request, from the call's start to its half-close,
	 * whatever deadline it set; a slower one gets DEADLINE_EXCEEDED. The request is in before a model's permit
	 * is asked for, so a slow upload never holds a permit.
	 */
	private Duration messageTimeout = Duration.ofSeconds(10);

	/**
	 * Most inputs, requested outputs or raw contents one request may hold; the bytes of a request that holds
	 * more are refused with INVALID_ARGUMENT before protobuf builds anything from them.
	 */
	private int maxTensors = 128;

	/**
	 * Most calls one connection may have open at once (HTTP/2 MAX_CONCURRENT_STREAMS): with the largest inbound
	 * message, it bounds the bytes one connection can make the server hold.
	 */
	private int maxConcurrentCallsPerConnection = 64;

	/**
	 * Most streams a client may reset on one connection within rst-frames-window before the connection is
	 * closed with a GOAWAY (HTTP/2 rapid reset, CVE-2023-44487).
	 */
	private int maxRstFrames = 200;

	/**
	 * Window over which max-rst-frames is counted.
	 */
	private Duration rstFramesWindow = Duration.ofSeconds(10);

	public int getMaxTensors() {
		return this.maxTensors;
	}

	public void setMaxTensors(int maxTensors) {
		if (maxTensors < 1) {
			throw new IllegalArgumentException("model-registry.grpc.max-tensors must be at least 1, was " + maxTensors);
		}
		this.maxTensors = maxTensors;
	}

	public int getMaxConcurrentCallsPerConnection() {
		return this.maxConcurrentCallsPerConnection;
	}

	public void setMaxConcurrentCallsPerConnection(int maxConcurrentCallsPerConnection) {
		if (maxConcurrentCallsPerConnection < 1) {
			throw new IllegalArgumentException(
					"model-registry.grpc.max-concurrent-calls-per-connection must be at least 1, was "
							+ maxConcurrentCallsPerConnection);
		}
		this.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection;
	}

	public int getMaxRstFrames() {
		return this.maxRstFrames;
	}

	public void setMaxRstFrames(int maxRstFrames) {
		if (maxRstFrames < 1) {
			throw new IllegalArgumentException(
					"model-registry.grpc.max-rst-frames must be at least 1, was " + maxRstFrames);
		}
		this.maxRstFrames = maxRstFrames;
	}

	public Duration getRstFramesWindow() {
		return this.rstFramesWindow;
	}

	public void setRstFramesWindow(Duration rstFramesWindow) {
		if (rstFramesWindow.toSeconds() < 1) {
			throw new IllegalArgumentException(
					"model-registry.grpc.rst-frames-window must be at least a second, was " + rstFramesWindow);
		}
		this.rstFramesWindow = rstFramesWindow;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getMessageTimeout() {
		return this.messageTimeout;
	}

	public void setMessageTimeout(Duration messageTimeout) {
		if (messageTimeout.isNegative() || messageTimeout.isZero()) {
			throw new IllegalArgumentException(
					"model-registry.grpc.message-timeout must be positive, was " + messageTimeout);
		}
		this.messageTimeout = messageTimeout;
	}

	public int getMaxElements() {
		return this.maxElements;
	}

	public void setMaxElements(int maxElements) {
		if (maxElements < 1) {
			throw new IllegalArgumentException(
					"model-registry.grpc.max-elements must be at least 1, was " + maxElements);
		}
		this.maxElements = maxElements;
	}

}
