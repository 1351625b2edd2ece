package io.github.modelregistry.measure;

import java.time.Duration;

/**
 * A load generator: keeps {@code inFlight} requests of one endpoint outstanding (a closed loop) for a while and
 * reports what was answered. The window hooks run when recording starts and ends, so that the application's CPU is
 * read around exactly the requests counted.
 */
interface Load {

	/**
	 * Runs the endpoint at the given concurrency: {@code lead} unrecorded (connections opened, first answers), then
	 * {@code recorded}.
	 * @param address where the application listens
	 * @param endpoint what to send
	 * @param inFlight requests outstanding at all times
	 * @param lead time before recording starts
	 * @param recorded time recorded
	 * @param window called when recording starts and ends
	 * @return what the recorded window measured
	 */
	LoadResult run(Address address, Endpoint endpoint, int inFlight, Duration lead, Duration recorded, Window window);

	/** Whether this generator can send the endpoint's kind of request */
	boolean supports(Endpoint endpoint);

	/** The generator's name for reports */
	String name();

	/**
	 * wrk for REST where it is installed (a driver in C: its own cost per request does not hide the server's), the
	 * tool's own driver for gRPC and where wrk is missing.
	 * @param preference {@code auto}, {@code wrk} or {@code java}
	 * @return the generator
	 */
	static Load choose(String preference) {
		Driver driver = new Driver();
		return switch (preference) {
			case "java" -> driver;
			case "wrk" -> {
				if (!Wrk.installed()) {
					throw new IllegalArgumentException("--driver wrk: wrk is not installed (apt-get install wrk)");
				}
				yield new Either(new Wrk(), driver);
			}
			case "auto" -> Wrk.installed() ? new Either(new Wrk(), driver) : driver;
			default -> throw new IllegalArgumentException("--driver must be auto, wrk or java, not " + preference);
		};
	}

	/**
	 * Where an application listens.
	 * @param host its host
	 * @param httpPort its HTTP port
	 * @param grpcPort its gRPC port, or 0
	 */
	record Address(String host, int httpPort, int grpcPort) {
	}

	/** Hooks around the recorded window */
	interface Window {

		Window NONE = new Window() {
		};

		default void opened() {
		}

		default void closed() {
		}

	}

	/** The first generator that supports an endpoint, else the second */
	record Either(Load first, Load second) implements Load {

		@Override
		public LoadResult run(Address address, Endpoint endpoint, int inFlight, Duration lead, Duration recorded,
				Window window) {
			Load load = this.first.supports(endpoint) ? this.first : this.second;
			return load.run(address, endpoint, inFlight, lead, recorded, window);
		}

		@Override
		public boolean supports(Endpoint endpoint) {
			return this.first.supports(endpoint) || this.second.supports(endpoint);
		}

		@Override
		public String name() {
			return this.first.name() + " (REST), " + this.second.name() + " (gRPC)";
		}

	}

}
