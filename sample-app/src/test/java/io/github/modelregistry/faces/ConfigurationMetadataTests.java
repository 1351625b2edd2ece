package io.github.modelregistry.faces;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata every module's jar carries (what an IDE completes and Boot's properties migrator reads)
 * against the reference in {@code docs/configuration.md}: every documented {@code model-registry.*} key is in some
 * module's metadata, and every key in the metadata is documented. The per-model keys
 * ({@code model-registry.models.<name>.*}) are a map's values, which the processor describes only as the map.
 */
class ConfigurationMetadataTests {

	private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(model-registry\\.[a-z0-9.<>-]+)`", Pattern.MULTILINE);

	@Test
	void everyDocumentedPropertyIsInTheMetadataAndEveryPropertyInItIsDocumented() throws IOException {
		Set<String> documented = documented();
		Set<String> described = described();
		Set<String> perModel = new TreeSet<>(documented);
		perModel.removeIf((key) -> !key.startsWith("model-registry.models.<name>."));
		documented.removeAll(perModel);
		described.remove("model-registry.models");
		assertThat(perModel).as("per-model keys documented").isNotEmpty();
		assertThat(described).as("keys in the jars' metadata").containsAll(documented);
		assertThat(documented).as("keys in docs/configuration.md").containsAll(described);
	}

	/**
	 * The per-model keys are a map's values, which the metadata describes only as the map: its description names
	 * each documented key, and its type names the class an IDE completes them from.
	 */
	@Test
	void theModelsMapDescribesEveryPerModelKey() throws IOException {
		JsonNode models = property("model-registry.models");
		assertThat(models.path("type").asString())
			.isEqualTo("java.util.Map<java.lang.String,io.github.modelregistry.autoconfigure.ModelRegistryProperties$Model>");
		String description = models.path("description").asString();
		for (String key : documented()) {
			if (key.startsWith("model-registry.models.<name>.")) {
				String setting = key.substring("model-registry.models.<name>.".length());
				String named = setting.startsWith("batching.") ? "batching.*" : setting;
				assertThat(description).as(key).contains("'" + named + "'");
			}
		}
	}

	private static JsonNode property(String name) throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : json.readTree(in).path("properties")) {
					if (property.path("name").asString().equals(name)) {
						return property;
					}
				}
			}
		}
		throw new AssertionError("No property " + name + " in any jar's metadata");
	}

	private static Set<String> documented() throws IOException {
		String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
		Set<String> keys = new TreeSet<>();
		Matcher matcher = DOCUMENTED.matcher(reference);
		while (matcher.find()) {
			keys.add(matcher.group(1));
		}
		return keys;
	}

	private static Set<String> described() throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		Set<String> keys = new TreeSet<>();
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : json.readTree(in).path("properties")) {
					String name = property.path("name").asString();
					if (name.startsWith("model-registry.")) {
						keys.add(name);
					}
				}
			}
		}
		return keys;
	}

}
