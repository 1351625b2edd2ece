package io.github.modelregistry.repository;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One version of a model in a repository: the {@code model.onnx} of one version folder, wherever that folder is (on
 * disk, inside a jar, in a local cache of object storage), as a {@link Content} that says how to read it.
 *
 * @param model the model name
 * @param version the version, a positive integer
 * @param content the model file
 */
public record ModelSource(String model, long version, Content content) {

	public ModelSource {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(content, "content");
	}

	/**
	 * A version whose model file is on the file system.
	 * @param model the model name
	 * @param version the version
	 * @param file the model file
	 * @return the source
	 */
	public static ModelSource ofFile(String model, long version, Path file) {
		return new ModelSource(model, version, new FileContent(file));
	}

	/**
	 * Returns the model file as a path if it is on the file system, or {@code null} if it is not (inside a jar: then
	 * read its {@link #bytes()}).
	 */
	public @Nullable Path file() {
		return this.content.file();
	}

	/**
	 * Reads the whole model file.
	 * @throws IOException if it cannot be read
	 */
	public byte[] bytes() throws IOException {
		return this.content.bytes();
	}

	/**
	 * Returns where the file is, for logs and reports.
	 */
	public String description() {
		return this.content.description();
	}

	/**
	 * The files of a folder beside the model file ({@code <version>/<folder>/*}), sorted by name; empty if there is
	 * no such folder.
	 * @param folder the folder's name, such as {@code warmup}
	 * @return its files
	 * @throws IOException if the folder exists but cannot be listed
	 */
	public List<Content> filesIn(String folder) throws IOException {
		return this.content.siblings(folder);
	}

	/**
	 * A file beside the model file in its version folder, such as a pipeline's {@code tokenizer.json}, so that a
	 * new version of it is a new version of the model; {@code null} if there is no such file.
	 * @param name a plain file name: letters, digits, {@code .}, {@code _} and {@code -}, not starting with a dot
	 * @throws IllegalArgumentException if the name could reach outside the version folder
	 * @throws IOException if the file exists but cannot be looked at
	 */
	public @Nullable Content sibling(String name) throws IOException {
		return this.content.sibling(requireFileName(name));
	}

	/**
	 * Returns the name if it is a plain file name, which cannot leave the folder it is resolved in.
	 * @throws IllegalArgumentException otherwise
	 */
	public static String requireFileName(String name) {
		if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}")) {
			throw new IllegalArgumentException("'" + name + "' is not a plain file name (letters, digits, '.', '_' "
					+ "and '-', not starting with a dot)");
		}
		return name;
	}

	/**
	 * How to read one file of a repository. A repository that is not a folder on disk (the class path inside a jar, a
	 * cache of object storage) implements it.
	 */
	public interface Content {

		/**
		 * The file on the file system, or {@code null} if it is elsewhere.
		 */
		@Nullable Path file();

		/**
		 * The file's name, without its folder.
		 */
		String name();

		/**
		 * Reads the whole file.
		 * @throws IOException if it cannot be read
		 */
		byte[] bytes() throws IOException;

		/**
		 * Where the file is, for logs and reports.
		 */
		String description();

		/**
		 * The size in bytes, {@code -1} if unknown.
		 */
		long size();

		/**
		 * The modification time in milliseconds, {@code -1} if unknown.
		 */
		long lastModified();

		/**
		 * The files in a folder beside this one, sorted by name; empty if there is no such folder.
		 * @param folder the folder's name
		 * @throws IOException if the folder exists but cannot be listed
		 */
		List<Content> siblings(String folder) throws IOException;

		/**
		 * The file of that name in this file's folder, or {@code null} if there is none. A repository that keeps
		 * nothing beside its model files need not implement it.
		 * @param name a plain file name, checked by the caller
		 * @throws IOException if the file exists but cannot be looked at
		 */
		default @Nullable Content sibling(String name) throws IOException {
			return null;
		}

	}

	/**
	 * A file on the file system.
	 */
	private record FileContent(Path path) implements Content {

		@Override
		public Path file() {
			return this.path;
		}

		@Override
		public String name() {
			Path name = this.path.getFileName();
			return (name != null) ? name.toString() : "";
		}

		@Override
		public byte[] bytes() throws IOException {
			return Files.readAllBytes(this.path);
		}

		@Override
		public String description() {
			return this.path.toUri().toString();
		}

		@Override
		public long size() {
			try {
				return Files.size(this.path);
			}
			catch (IOException ex) {
				return -1;
			}
		}

		@Override
		public long lastModified() {
			try {
				return Files.getLastModifiedTime(this.path).toMillis();
			}
			catch (IOException ex) {
				return -1;
			}
		}

		@Override
		public @Nullable Content sibling(String name) {
			Path parent = this.path.toAbsolutePath().getParent();
			if (parent == null) {
				return null;
			}
			Path file = parent.resolve(name);
			return Files.isRegularFile(file) ? new FileContent(file) : null;
		}

		@Override
		public List<Content> siblings(String folder) throws IOException {
			Path parent = this.path.toAbsolutePath().getParent();
			if (parent == null || !Files.isDirectory(parent.resolve(folder))) {
				return List.of();
			}
			List<Content> files = new ArrayList<>();
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent.resolve(folder))) {
				for (Path entry : entries) {
					if (Files.isRegularFile(entry)) {
						files.add(new FileContent(entry));
					}
				}
			}
			catch (NoSuchFileException ex) {
				return List.of();
			}
			files.sort(Comparator.comparing(Content::name));
			return files;
		}

	}

}
