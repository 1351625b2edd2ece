package io.github.modelregistry.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Says once, at start-up, that the application serves HTTP on a web stack whose V2 REST face is not on the class
 * path, and which starter adds it: without it, {@code /v2/...} would answer 404 with nothing logged.
 */
final class MissingWebFace implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(MissingWebFace.class);

	private final String stack;

	private final String starter;

	/**
	 * @param stack the application's web stack, as a user names it
	 * @param starter the starter that adds its V2 face
	 */
	MissingWebFace(String stack, String starter) {
		this.stack = stack;
		this.starter = starter;
	}

	@Override
	public void afterSingletonsInstantiated() {
		logger.info("This is a {} application and the model registry's V2 REST face for it is not on the class path: "
				+ "models are served in process and over gRPC if configured, not at /v2; add {} to serve them over "
				+ "HTTP", this.stack, this.starter);
	}

}
