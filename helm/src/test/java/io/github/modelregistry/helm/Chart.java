package io.github.modelregistry.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The chart under test, driven through Helm itself: helm-java links Helm's Go code in as a native library (the
 * platform's library is a Maven dependency), so {@code helm lint} and {@code helm template} run in this JVM with no
 * helm binary, no cluster and no download.
 * <p>
 * Values are given as YAML text (as a user's {@code -f values.yaml}) or as {@code --set} pairs.
 */
final class Chart {

	static final Path DIR = Path.of(System.getProperty("chart.dir", "model-registry")).toAbsolutePath();

	static final String RELEASE = "recs";

	static final String NAMESPACE = "ml";

	/** Full name of the release's resources: release name, then chart name. */
	static final String FULLNAME = RELEASE + "-model-registry";

	private static final YAMLMapper YAML = YAMLMapper.builder().build();

	static {
		StubKubernetesApi.start();
	}

	private Chart() {
	}

	/** {@code helm template} with the chart's default values. */
	static Manifests render() {
		return render("");
	}

	/** {@code helm template -f values.yaml} with the given YAML as the values file. */
	static Manifests render(String valuesYaml) {
		Path values = write(valuesYaml);
		try {
			return Manifests.parse(template().withValuesFile(values).call());
		}
		finally {
			delete(values);
		}
	}

	/** {@code helm template --set key=value ...}. */
	static Manifests renderWithSet(Map<String, Object> sets) {
		TemplateCommand command = template();
		sets.forEach(command::set);
		return Manifests.parse(command.call());
	}

	/**
	 * {@code helm lint} of a copy of the chart whose values.yaml is the chart's own with the given YAML merged over
	 * it (helm-java's lint takes no values file); the chart's own folder is linted as it is when the YAML is empty.
	 */
	static LintResult lint(String valuesYaml) {
		if (valuesYaml.isBlank()) {
			return new Helm(DIR).lint().strict().call();
		}
		Path copy = copyOfChart();
		try {
			ObjectNode values = (ObjectNode) YAML.readTree(DIR.resolve("values.yaml").toFile());
			deepMerge(values, (ObjectNode) YAML.readTree(valuesYaml));
			YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
			return new Helm(copy).lint().strict().call();
		}
		finally {
			delete(copy.getParent());
		}
	}

	private static TemplateCommand template() {
		return new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
	}

	private static void deepMerge(ObjectNode target, ObjectNode source) {
		for (Map.Entry<String, JsonNode> entry : source.properties()) {
			JsonNode existing = target.get(entry.getKey());
			if (existing instanceof ObjectNode existingObject && entry.getValue() instanceof ObjectNode sourceObject) {
				deepMerge(existingObject, sourceObject);
			}
			else {
				target.set(entry.getKey(), entry.getValue());
			}
		}
	}

	private static Path write(String yaml) {
		try {
			Path file = Files.createTempFile("values-", ".yaml");
			Files.writeString(file, yaml);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path copyOfChart() {
		try {
			Path copy = Files.createTempDirectory("chart-").resolve("model-registry");
			try (Stream<Path> files = Files.walk(DIR)) {
				for (Path source : (Iterable<Path>) files::iterator) {
					Path target = copy.resolve(DIR.relativize(source).toString());
					if (Files.isDirectory(source)) {
						Files.createDirectories(target);
					}
					else {
						Files.copy(source, target);
					}
				}
			}
			return copy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(Path path) {
		try (Stream<Path> files = Files.walk(path)) {
			files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
