package io.github.modelregistry.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Finds the versions of a model under its location, laid out as TensorFlow Serving and Triton lay them out:
 * <pre>
 * &lt;location&gt;/1/model.onnx
 * &lt;location&gt;/2/model.onnx
 * </pre>
 * A version folder is named by a positive integer (leading zeros allowed) and counts only once it holds a
 * {@value #MODEL_FILE}; other folders are ignored.
 * <p>
 * This class reads the file system with {@code java.nio}: a location is a path ({@code /srv/models/ranker},
 * {@code models/ranker}) or a {@code file:} URL ({@code file:/srv/models/ranker}). Other kinds of location extend it:
 * the Spring Boot module's adds {@code classpath:} (models inside the application's jar). Symbolic links are
 * followed only inside a model's folder: a version folder or model file linked to elsewhere is not a version.
 */
public class ModelRepository {

	/** The file each version folder holds. */
	public static final String MODEL_FILE = "model.onnx";

	private static final Pattern VERSION = Pattern.compile("[0-9]{1,18}");

	private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

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
	 * Checks that a model name is safe to use as a folder name.
	 * @throws IllegalArgumentException if it is not
	 */
	public static void requireValidName(String name) {
		if (!isValidName(name)) {
			throw new IllegalArgumentException("Invalid model name '" + name
					+ "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
		}
	}

	/**
	 * Whether a model name is safe to use as a folder name.
	 */
	protected static boolean isValidName(String name) {
		return MODEL_NAME.matcher(name).matches() && !name.contains("..");
	}

	/**
	 * The version a version folder's name stands for, or {@code null} if it is not a positive integer.
	 */
	protected static @Nullable Long versionOf(String folderName) {
		if (!VERSION.matcher(folderName).matches()) {
			return null;
		}
		long version = Long.parseLong(folderName);
		return (version > 0) ? version : null;
	}

	/**
	 * Returns the location of a model under a base location, {@code <base>/<name>}, checked to be inside it: the
	 * name is a folder name ({@link #requireValidName}) and the model's folder, symbolic links resolved, is inside the
	 * base's real path. A folder that does not exist yet is inside.
	 * @throws IllegalArgumentException if the name could reach outside the base or a link takes it there
	 */
	public String locationInside(String base, String name) {
		String location = locationOf(base, name);
		Path baseFolder = pathOf(base);
		try {
			Path realBase = baseFolder.toRealPath();
			Path folder = pathOf(location);
			if (Files.exists(folder) && !folder.toRealPath().startsWith(realBase)) {
				throw new IllegalArgumentException("Model '" + name + "' is a link to a folder outside the base path "
						+ base + ": only folders inside it can be registered");
			}
		}
		catch (NoSuchFileException ex) {
			// No base yet: nothing under it can be a link
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Model '" + name + "' cannot be checked against the base path " + base
					+ ": " + ex.getMessage());
		}
		return location;
	}

	/**
	 * Lists the models under a base location: the folders {@code <base>/<name>} holding at least one complete version
	 * whose name is a valid model name, sorted.
	 * @param base the base location
	 * @return the model names; empty if there are none or the base does not exist
	 */
	public SortedSet<String> modelsUnder(String base) {
		SortedSet<String> names = new TreeSet<>();
		for (Path folder : list(pathOf(base), "the models in " + base)) {
			String name = String.valueOf(folder.getFileName());
			if (isValidName(name) && Files.isDirectory(folder) && !versions(name, folder, base).isEmpty()) {
				names.add(name);
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
		return versions(model, pathOf(location), location);
	}

	private NavigableMap<Long, ModelSource> versions(String model, Path folder, String location) {
		NavigableMap<Long, ModelSource> versions = new TreeMap<>();
		Path realFolder;
		try {
			realFolder = folder.toRealPath();
		}
		catch (IOException ex) {
			return versions;
		}
		for (Path versionFolder : list(folder, "the versions of model '" + model + "' in " + location)) {
			Long version = versionOf(String.valueOf(versionFolder.getFileName()));
			Path file = versionFolder.resolve(MODEL_FILE);
			if (version != null && Files.isRegularFile(file) && Files.isReadable(file) && inside(realFolder, file)) {
				versions.put(version, ModelSource.ofFile(model, version, file));
			}
		}
		return versions;
	}

	/**
	 * The entries of a folder; none if it does not exist.
	 * @throws UncheckedIOException if listing fails otherwise (permissions), which is worth telling
	 */
	private static Iterable<Path> list(Path folder, String what) {
		java.util.List<Path> entries = new java.util.ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
			stream.forEach(entries::add);
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			// No such folder: nothing in it
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + what, ex);
		}
		return entries;
	}

	/**
	 * Whether a model file's real path, symbolic links followed, lies inside the model's real folder: a version
	 * folder or model file linked to elsewhere ({@code 5 -> /tmp/x}, {@code model.onnx -> /etc/hostname}) is not a
	 * version, and a link loop, which has no real path, is left out rather than failing the whole listing.
	 */
	private static boolean inside(Path realFolder, Path file) {
		try {
			return file.toRealPath().startsWith(realFolder);
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
	 * Whether a location exists, for messages.
	 * @param location the location
	 * @return whether it exists
	 */
	protected boolean exists(String location) {
		return Files.exists(pathOf(location));
	}

	/**
	 * Returns what a version folder's model file looks like now, to tell a folder still being written from a
	 * complete one: a version counts as complete once two scans in a row see the same fingerprint.
	 */
	public static Fingerprint fingerprint(ModelSource source) {
		return new Fingerprint(source.content().size(), source.content().lastModified());
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
		return "No version of model '" + model + "' found in " + location
				+ (exists(location) ? "" : " (the location does not exist)") + "; expected " + location
				+ "/<version>/" + MODEL_FILE + " with <version> a positive integer";
	}

	/**
	 * The path a location names: a path, or a {@code file:} URL.
	 * @param location the location
	 * @return its path
	 * @throws IllegalArgumentException if it is another kind of location ({@code classpath:} needs the Spring Boot
	 * module's repository)
	 */
	protected static Path pathOf(String location) {
		if (location.startsWith("file://")) {
			return Path.of(URI.create(location));
		}
		if (location.startsWith("file:")) {
			return Path.of(location.substring("file:".length()));
		}
		int colon = location.indexOf(':');
		if (colon > 1) {
			throw new IllegalArgumentException("Location " + location + " is neither a path nor a file: URL; "
					+ location.substring(0, colon + 1) + " locations need a repository that reads them (the Spring "
					+ "Boot module's reads classpath:)");
		}
		return Path.of(location);
	}

}
