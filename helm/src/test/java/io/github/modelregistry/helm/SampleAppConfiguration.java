package io.github.modelregistry.helm;

import java.nio.file.Path;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The sample app's own {@code application.yaml} (inside the image), so that the chart is checked against what the
 * app really configures rather than against a copy of its numbers.
 */
final class SampleAppConfiguration {

	private static final Path FILE = Path
		.of(System.getProperty("app.config", "../sample-app/src/main/resources/application.yaml"));

	private static final JsonNode CONFIG = YAMLMapper.builder().build().readTree(FILE.toFile());

	private SampleAppConfiguration() {
	}

	/** A value by JSON pointer, e.g. {@code /management/server/port}. */
	static JsonNode at(String pointer) {
		JsonNode value = CONFIG.at(pointer);
		if (value.isMissingNode()) {
			throw new AssertionError("The sample app's application.yaml (" + FILE + ") has no " + pointer);
		}
		return value;
	}

}
