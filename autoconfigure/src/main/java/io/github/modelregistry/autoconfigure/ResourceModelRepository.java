package io.github.modelregistry.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.ModelSource;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The repository of a Spring application: a location is any Spring resource location, {@code file:/srv/models} or
 * {@code classpath:models} (which also works when the models are inside the application's jar), or a path with no
 * prefix ({@code /srv/models}, {@code models}), which is a folder on the file system, as it is for the core
 * repository (Spring's resource loader would look it up on the class path). A location that is a folder on the file
 * system (a {@code classpath:} folder of an exploded application included) is read by the core repository, with
 * its rules on symbolic links; one inside a jar is listed with the resource resolver's patterns
 * ({@code <location>/*}{@code /model.onnx}) and read from the jar.
 */
public class ResourceModelRepository extends ModelRepository {

	private final ResourcePatternResolver resolver;

	/**
	 * Creates a repository that resolves locations with the given resolver (the application context's).
	 * @param resolver the resolver
	 */
	public ResourceModelRepository(ResourcePatternResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public String locationInside(String base, String name) {
		Path folder = folderOnDisk(base);
		if (folder != null) {
			super.locationInside(folder.toString(), name);
		}
		return locationOf(base, name);
	}

	@Override
	public SortedSet<String> modelsUnder(String base) {
		Path folder = folderOnDisk(base);
		if (folder != null) {
			return super.modelsUnder(folder.toString());
		}
		SortedSet<String> names = new TreeSet<>();
		for (Resource file : modelFiles(base, "*/*/", "the models")) {
			String[] parts = uri(file).split("/");
			if (parts.length >= 3 && versionOf(parts[parts.length - 2]) != null
					&& isValidName(parts[parts.length - 3])) {
				names.add(parts[parts.length - 3]);
			}
		}
		return names;
	}

	@Override
	public NavigableMap<Long, ModelSource> versions(String model, String location) {
		Path folder = folderOnDisk(location);
		if (folder != null) {
			return super.versions(model, folder.toString());
		}
		NavigableMap<Long, ModelSource> versions = new TreeMap<>();
		for (Resource file : modelFiles(location, "*/", "the versions of model '" + model + "'")) {
			String[] parts = uri(file).split("/");
			Long version = (parts.length >= 2) ? versionOf(parts[parts.length - 2]) : null;
			if (version != null && file.isReadable()) {
				versions.put(version, new ModelSource(model, version, new ResourceContent(file, this.resolver)));
			}
		}
		return versions;
	}

	@Override
	protected boolean exists(String location) {
		return hasPrefix(location) ? this.resolver.getResource(location).exists() : super.exists(location);
	}

	/**
	 * Whether a location starts with a URL prefix ({@code classpath:}, {@code file:}, {@code jar:} ...) rather than
	 * being a path; a Windows drive letter is a path.
	 */
	private static boolean hasPrefix(String location) {
		int colon = location.indexOf(':');
		return colon > 1 && location.substring(0, colon).chars()
			.allMatch((c) -> Character.isLetterOrDigit(c) || c == '+' || c == '.' || c == '-');
	}

	/**
	 * The folder a location names on the file system, or {@code null} if it is elsewhere (inside a jar).
	 */
	private @Nullable Path folderOnDisk(String location) {
		if (!hasPrefix(location)) {
			return Path.of(location);
		}
		Resource resource = this.resolver.getResource(location);
		if (!resource.isFile()) {
			return null;
		}
		try {
			return resource.getFile().toPath();
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Returns the model files {@code <location>/<pattern>model.onnx}; none if the location does not exist.
	 * @throws UncheckedIOException if listing fails otherwise (a corrupt jar), which is worth telling
	 */
	private Resource[] modelFiles(String location, String pattern, String what) {
		String folder = location.endsWith("/") ? location : location + "/";
		try {
			return this.resolver.getResources(folder + pattern + MODEL_FILE);
		}
		catch (java.io.FileNotFoundException ex) {
			return new Resource[0];
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + what + " in " + location, ex);
		}
	}

	private static String uri(Resource resource) {
		try {
			return resource.getURI().toString();
		}
		catch (IOException ex) {
			return resource.getDescription();
		}
	}

	/**
	 * A file inside a jar, read through its resource.
	 */
	private record ResourceContent(Resource resource, ResourcePatternResolver resolver) implements ModelSource.Content {

		@Override
		public @Nullable Path file() {
			return null;
		}

		@Override
		public String name() {
			return String.valueOf(this.resource.getFilename());
		}

		@Override
		public byte[] bytes() throws IOException {
			return this.resource.getContentAsByteArray();
		}

		@Override
		public String description() {
			return uri(this.resource);
		}

		@Override
		public long size() {
			try {
				return this.resource.contentLength();
			}
			catch (IOException ex) {
				return -1;
			}
		}

		@Override
		public long lastModified() {
			try {
				return this.resource.lastModified();
			}
			catch (IOException ex) {
				return -1;
			}
		}

		@Override
		public ModelSource.@Nullable Content sibling(String name) throws IOException {
			Resource file = this.resource.createRelative(name);
			return file.isReadable() ? new ResourceContent(file, this.resolver) : null;
		}

		@Override
		public List<ModelSource.Content> siblings(String folder) throws IOException {
			String self = uri(this.resource);
			String parent = self.substring(0, self.lastIndexOf('/') + 1);
			Resource[] files;
			try {
				files = this.resolver.getResources(parent + folder + "/*");
			}
			catch (java.io.FileNotFoundException ex) {
				return List.of();
			}
			List<ModelSource.Content> contents = new ArrayList<>();
			Arrays.stream(files).filter(Resource::isReadable)
				.forEach((file) -> contents.add(new ResourceContent(file, this.resolver)));
			contents.sort(Comparator.comparing(ModelSource.Content::name));
			return contents;
		}

	}

}
