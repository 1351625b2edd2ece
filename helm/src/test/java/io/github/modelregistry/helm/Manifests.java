package io.github.modelregistry.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Kubernetes objects {@code helm template} rendered, parsed from its multi-document YAML, with finders for the
 * ones the tests look at. Objects are Jackson trees: {@code deployment().at("/spec/replicas")}.
 */
final class Manifests {

	private static final YAMLMapper YAML = YAMLMapper.builder().build();

	private final String text;

	private final List<JsonNode> objects;

	private Manifests(String text, List<JsonNode> objects) {
		this.text = text;
		this.objects = objects;
	}

	static Manifests parse(String text) {
		List<JsonNode> objects = new ArrayList<>();
		try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
			while (documents.hasNextValue()) {
				JsonNode document = documents.nextValue();
				// Templates that render nothing leave empty documents
				if (document != null && document.isObject() && !document.isEmpty()) {
					objects.add(document);
				}
			}
		}
		return new Manifests(text, objects);
	}

	/** Every rendered object. */
	List<JsonNode> all() {
		return this.objects;
	}

	/** The rendered YAML as Helm printed it. */
	String text() {
		return this.text;
	}

	List<JsonNode> ofKind(String kind) {
		return this.objects.stream().filter((object) -> kind.equals(object.path("kind").stringValue(""))).toList();
	}

	Optional<JsonNode> find(String kind, String name) {
		return ofKind(kind).stream().filter((object) -> name.equals(object.at("/metadata/name").stringValue(""))).findFirst();
	}

	JsonNode get(String kind, String name) {
		return find(kind, name).orElseThrow(() -> new AssertionError("No " + kind + " named " + name + " in:\n" + this.text));
	}

	JsonNode deployment() {
		return get("Deployment", Chart.FULLNAME);
	}

	JsonNode podSpec() {
		return deployment().at("/spec/template/spec");
	}

	/** The app's container (the Deployment's only container). */
	JsonNode appContainer() {
		JsonNode containers = podSpec().path("containers");
		if (containers.size() != 1) {
			throw new AssertionError("Expected one container, got " + containers);
		}
		return containers.get(0);
	}

	/** The app container's environment variable of that name. */
	JsonNode env(String name) {
		for (JsonNode variable : appContainer().path("env")) {
			if (name.equals(variable.path("name").stringValue(""))) {
				return variable;
			}
		}
		throw new AssertionError("No environment variable " + name + " in " + appContainer().path("env"));
	}

	/** The pod's volume of that name. */
	JsonNode volume(String name) {
		return named(podSpec().path("volumes"), name);
	}

	/** The app container's mount of that volume. */
	JsonNode mount(String name) {
		return named(appContainer().path("volumeMounts"), name);
	}

	/** The app container's port of that name. */
	JsonNode port(String name) {
		return named(appContainer().path("ports"), name);
	}

	JsonNode configMap() {
		return get("ConfigMap", Chart.FULLNAME);
	}

	/** The ConfigMap's application.yaml as the app reads it. */
	JsonNode applicationYaml() {
		return YAML.readTree(configMap().at("/data/application.yaml").stringValue());
	}

	static JsonNode named(JsonNode list, String name) {
		for (JsonNode item : list) {
			if (name.equals(item.path("name").stringValue(""))) {
				return item;
			}
		}
		throw new AssertionError("Nothing named " + name + " in " + list);
	}

}
