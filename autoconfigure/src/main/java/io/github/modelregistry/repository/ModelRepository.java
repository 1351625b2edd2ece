package io.github.modelregistry.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Finds the versions of a model under its location, laid out as TensorFlow Serving and Triton lay them out:
 * <pre>
 * &lt;location&gt;/1/model.onnx
 * &lt;location&gt;/2/model.onnx
 * </pre>
 * A location is a Spring resource location: {@code file:/srv/models/ranker} or {@code classpath:models/ranker}
 * (which also works when the models are inside the application's jar). A version folder is named by a positive
 * integer (leading zeros allowed) and counts only once it holds a {@value #MODEL_FILE}; other folders are ignored.
 */
public class ModelRepository {

	/** The file each version folder holds. */
	public static final String MODEL_FILE = "model.onnx";

	private static final Pattern VERSION = Pattern.compile("[0-9]{1,18}");

	private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

	private final ResourcePatternResolver resolver;

	public ModelRepository() {
		this(new PathMatchingResourcePatternResolver());
	}

	public ModelRepository(ResourcePatternResolver resolver) {
		this.resolver = resolver;
	}

	/**
	 * Returns the location of a model under a base location: {@code <base>/<name>}.
	 * @throws IllegalArgumentException if the name could reach outside the base (it must be letters, digits,
	 * {@code .}, {@code _} and {@code -}, not starting with a dot)
	 */
	public static String locationOf(String base, String name) {
		requireValidName(name);
		return base.endsWith("/") ? base + name : base + "/" + name;
	}

	/**
	 * Returns the location of a model under a base location, {@code <base>/<name>}, checked to be inside it: the
	 * name is a folder name ({@link #requireValidName}) and, where the base is a folder on disk, the model's folder,
	 * symbolic links resolved, is inside the base's real path. A folder that does not exist yet is inside.
	 * @throws IllegalArgumentException if the name could reach outside the base or a link takes it there
	 */
	public String locationInside(String base, String name) {
		String location = locationOf(base, name);
		Resource baseFolder = this.resolver.getResource(base);
		if (!baseFolder.isFile()) {
			// Inside a jar or elsewhere off the file system: no links to follow
			return location;
		}
		try {
			Path realBase = baseFolder.getFile().toPath().toRealPath();
			Path folder = this.resolver.getResource(location).getFile().toPath();
			if (Files.exists(folder) && !folder.toRealPath().startsWith(realBase)) {
				throw new IllegalArgumentException("Model '" + name + "' is a link to a folder outside the base path "
						+ base + ": only folders inside it can be registered");
			}
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Model '" + name + "' cannot be checked against the base path " + base
					+ ": " + ex.getMessage());
		}
		return location;
	}

	/**
	 * Checks that a model name is safe to use as a folder name.
	 */
	public static void requireValidName(String name) {
		if (!MODEL_NAME.matcher(name).matches() || name.contains("..")) {
			throw new IllegalArgumentException("Invalid model name '" + name
					+ "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
		}
	}

	/**
	 * Lists the models under a base location: the folders {@code <base>/<name>} holding at least one complete version
	 * whose name is a valid model name, sorted.
	 * @param base the base location
	 * @return the model names; empty if there are none or the base does not exist
	 */
	public java.util.SortedSet<String> modelsUnder(String base) {
		java.util.SortedSet<String> names = new java.util.TreeSet<>();
		for (Resource file : modelFiles(base, "*/*/", "the models")) {
			try {
				String path = file.getURL().getPath();
				String[] parts = path.split("/");
				if (parts.length >= 3 && versionOf(file) != null) {
					String name = parts[parts.length - 3];
					if (MODEL_NAME.matcher(name).matches() && !name.contains("..")) {
						names.add(name);
					}
				}
			}
			catch (IOException ex) {
				// A file that cannot say where it is names no model
			}
		}
		return names;
	}

	/**
	 * Lists the complete versions of a model, lowest first.
	 * @param model the model name
	 * @param location the folder holding the model's version folders
	 * @return the versions; empty if there are none or the location does not exist
	 */
	public NavigableMap<Long, ModelSource> versions(String model, String location) {
		String folder = location.endsWith("/") ? location : location + "/";
		Resource[] files = modelFiles(location, "*/", "the versions of model '" + model + "'");
		NavigableMap<Long, ModelSource> versions = new TreeMap<>();
		Path realFolder = realFolder(folder);
		for (Resource file : files) {
			Long version = versionOf(file);
			if (version != null && file.isReadable() && inside(realFolder, file)) {
				versions.put(version, new ModelSource(model, version, file));
			}
		}
		return versions;
	}

	/**
	 * Returns the model files {@code <location>/<pattern>model.onnx}; none if the location does not exist.
	 * @throws UncheckedIOException if listing fails otherwise (permissions, a corrupt jar), which is worth telling
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

	/**
	 * Returns the real path of a model's folder on the file system, or {@code null} when the location is not a
	 * file-system folder (a jar, the class path inside one).
	 */
	private @Nullable Path realFolder(String folder) {
		try {
			Resource resource = this.resolver.getResource(folder);
			return resource.isFile() ? resource.getFile().toPath().toRealPath() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Whether a model file's real path, symbolic links followed, lies inside the model's real folder: a version
	 * folder or model file linked to elsewhere ({@code 5 -> /tmp/x}, {@code model.onnx -> /etc/hostname}) is not a
	 * version, and a link loop, which has no real path, is left out rather than failing the whole listing.
	 */
	private static boolean inside(@Nullable Path realFolder, Resource file) {
		if (realFolder == null || !file.isFile()) {
			return true;
		}
		try {
			return file.getFile().toPath().toRealPath().startsWith(realFolder);
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Returns the highest complete version of a model.
	 * @throws ModelVersionNotFoundException if there is none
	 */
	public ModelSource latest(String model, String location) {
		NavigableMap<Long, ModelSource> versions = versions(model, location);
		if (versions.isEmpty()) {
			throw new ModelVersionNotFoundException(noVersionMessage(model, location));
		}
		return versions.lastEntry().getValue();
	}

	/**
	 * Returns one version of a model.
	 * @throws ModelVersionNotFoundException if that version folder does not exist or holds no model file
	 */
	public ModelSource version(String model, String location, long version) {
		NavigableMap<Long, ModelSource> versions = versions(model, location);
		ModelSource source = versions.get(version);
		if (source == null) {
			throw new ModelVersionNotFoundException("Version " + version + " of model '" + model + "' not found in "
					+ location + (versions.isEmpty() ? ": " + noVersionMessage(model, location)
							: "; available versions are " + versions.keySet()));
		}
		return source;
	}

	/**
	 * Returns what a version folder's model file looks like now, to tell a folder still being written from a
	 * complete one: a version counts as complete once two scans in a row see the same fingerprint.
	 */
	public static Fingerprint fingerprint(ModelSource source) {
		try {
			return new Fingerprint(source.resource().contentLength(), source.resource().lastModified());
		}
		catch (IOException ex) {
			return new Fingerprint(-1, -1);
		}
	}

	/**
	 * The size and modification time of a model file.
	 *
	 * @param size the size in bytes, -1 if unreadable
	 * @param lastModified the modification time in milliseconds, -1 if unknown
	 */
	public record Fingerprint(long size, long lastModified) {
	}

	private String noVersionMessage(String model, String location) {
		boolean exists = this.resolver.getResource(location).exists();
		return "No version of model '" + model + "' found in " + location
				+ (exists ? "" : " (the location does not exist)") + "; expected " + location
				+ "/<version>/" + MODEL_FILE + " with <version> a positive integer";
	}

	private static @Nullable Long versionOf(Resource file) {
		String path;
		try {
			path = file.getURI().toString();
		}
		catch (IOException ex) {
			return null;
		}
		int end = path.lastIndexOf('/');
		if (end <= 0) {
			return null;
		}
		int start = path.lastIndexOf('/', end - 1);
		String folder = path.substring(start + 1, end);
		if (!VERSION.matcher(folder).matches()) {
			return null;
		}
		long version = Long.parseLong(folder);
		return (version > 0) ? version : null;
	}

}
