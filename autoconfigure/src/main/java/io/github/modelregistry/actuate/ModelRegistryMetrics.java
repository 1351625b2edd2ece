package io.github.modelregistry.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryObserver;
import io.github.modelregistry.registry.ReloadResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics of the models, so that a dashboard shows where time goes:
 * <ul>
 * <li>{@code model.holder.wait} timer: time from asking the holder for the model to running with it (lock waits
 * for {@code rwlock} and {@code mutex}, lazy loads for all), tags {@code model}, {@code strategy};</li>
 * <li>{@code model.reload} timer: tags {@code model}, {@code outcome};</li>
 * <li>{@code model.reads.active} gauge: reads inside the holder now, tags {@code model}, {@code strategy};</li>
 * <li>{@code model.version} gauge: the version serving unversioned requests, tag {@code model} (NaN when none
 * is);</li>
 * <li>{@code model.memory} gauge: native memory charged for each version a model holds, in bytes, tags
 * {@code model}, {@code version} (a version's gauge goes when it is retired or evicted);</li>
 * <li>{@code model.memory.max} gauge: the native-memory budget ({@code model-registry.memory.max}), in bytes, when
 * one is set;</li>
 * <li>{@code model.lifecycle} counter: versions loaded, published, retired, failed, refused for memory and evicted
 * to make room, tags {@code model}, {@code event} ({@code load}, {@code publish}, {@code retire}, {@code failure},
 * {@code refuse}, {@code evict}).</li>
 * </ul>
 * The {@code model.inference} timer is not made here: it comes from the registry's observation of each inference
 * ({@link io.github.modelregistry.registry.DefaultInferenceObservationConvention}), through the application's
 * {@code ObservationRegistry}, so that the timer and a trace's span are one instrumentation. Each model's holder
 * timer is looked up once and cached, so that recording an inference allocates nothing here.
 */
public final class ModelRegistryMetrics implements MeterBinder, ModelRegistryObserver {

	private final ModelRegistry registry;

	private volatile @Nullable MeterRegistry meters;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	/** Each model's {@code model.holder.wait} timer: looked up on every inference. */
	private final Map<String, Timer> holderWaits = new ConcurrentHashMap<>();

	/** Each model's {@code model.memory} gauges, a row per version it holds. */
	private final Map<String, MultiGauge> memoryGauges = new ConcurrentHashMap<>();

	/** Each batching model's meters, looked up once per run. */
	private final Map<String, BatchMeters> batchMeters = new ConcurrentHashMap<>();

	public ModelRegistryMetrics(ModelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		this.meters = meters;
		this.registry.addObserver(this);
		if (this.registry.memoryMax() != null) {
			// The registry as the gauge's state: Micrometer holds it weakly, and a boxed Long would be collected
			Gauge.builder("model.memory.max", this.registry, ModelRegistryMetrics::memoryMax)
				.description("The native-memory budget of all loaded model versions (model-registry.memory.max)")
				.baseUnit("bytes")
				.register(meters);
		}
		for (String model : this.registry.names()) {
			gauges(meters, model, this.registry.strategy(model));
		}
	}

	/**
	 * Registers a model's gauges. Each reads the registry by name and gives NaN once the model is gone, in the moment
	 * between its unregistration and the removal of its meters.
	 */
	private void gauges(MeterRegistry meters, String model, String strategy) {
		Gauge.builder("model.reads.active", this.registry,
				(registry) -> registry.contains(model) ? registry.inFlightReads(model) : Double.NaN)
			.description("Reads inside the model's holder now")
			.tags("model", model, "strategy", strategy)
			.register(meters);
		// From memory: status() would list the model's location (a folder or a jar) on every scrape
		Gauge.builder("model.version", this.registry,
				(registry) -> registry.contains(model) ? version(registry.servedVersions(model)) : Double.NaN)
			.description("The model version serving")
			.tags("model", model)
			.register(meters);
		this.memoryGauges.put(model, MultiGauge.builder("model.memory")
			.description("Native memory charged for a version the model holds: its growth of the process's resident "
					+ "memory while it loaded, at least its file's size")
			.tag("model", model)
			.baseUnit("bytes")
			.register(meters));
		refreshMemory(model);
	}

	/**
	 * Sets a model's {@code model.memory} rows to the versions it holds now: one gauge per version, added when a
	 * version is published and removed once it is retired, evicted or the model is gone.
	 */
	private void refreshMemory(String model) {
		MultiGauge gauge = this.memoryGauges.get(model);
		if (gauge == null) {
			return;
		}
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		if (this.registry.contains(model)) {
			for (Long version : this.registry.memoryBytesByVersion(model).keySet()) {
				rows.add(MultiGauge.Row.of(Tags.of("version", Long.toString(version)), this.registry,
						(registry) -> memoryOf(registry, model, version)));
			}
		}
		// Events of one model can arrive from several threads (a load, the retirer): one refresh at a time
		synchronized (gauge) {
			gauge.register(rows, true);
		}
	}

	private static double memoryOf(ModelRegistry registry, String model, long version) {
		if (!registry.contains(model)) {
			return Double.NaN;
		}
		Long bytes = registry.memoryBytesByVersion(model).get(version);
		return (bytes != null) ? bytes : Double.NaN;
	}

	@Override
	public void registered(String model, String strategy) {
		MeterRegistry meters = this.meters;
		if (meters != null) {
			gauges(meters, model, strategy);
		}
	}

	/**
	 * Removes every meter of a model that is gone, so that a service that registers and unregisters many models
	 * does not keep a time series per model it ever served: its gauges, timers and counters, and the
	 * {@code model.inference} meters its observations made.
	 */
	@Override
	public void unregistered(String model) {
		this.memoryGauges.remove(model);
		this.holderWaits.remove(model);
		this.batchMeters.remove(model);
		this.timers.keySet().removeIf((key) -> key.startsWith("reload|" + model + "|"));
		MeterRegistry meters = this.meters;
		if (meters == null) {
			return;
		}
		// Ours and the observation's (model.inference and its events, made by Micrometer's handler): every model.*
		// meter of that model
		for (io.micrometer.core.instrument.Meter meter : meters.getMeters()) {
			io.micrometer.core.instrument.Meter.Id id = meter.getId();
			if (id.getName().startsWith("model.") && model.equals(id.getTag("model"))) {
				meters.remove(meter);
			}
		}
	}

	private static double memoryMax(ModelRegistry registry) {
		Long max = registry.memoryMax();
		return (max != null) ? max : Double.NaN;
	}

	/**
	 * The version unversioned requests get: the highest served, NaN when none is.
	 */
	private static double version(List<Long> served) {
		return served.isEmpty() ? Double.NaN : served.get(served.size() - 1);
	}

	@Override
	public void inferred(String model, String strategy, @Nullable Long version, long waitNanos,
			long totalNanos, InferenceOutcome outcome) {
		MeterRegistry meters = this.meters;
		if (meters == null) {
			return;
		}
		this.holderWaits.computeIfAbsent(model, (name) -> Timer.builder("model.holder.wait")
			.description("Time inferences wait on the model's holder before they run")
			.tags("model", name, "strategy", strategy)
			.register(meters)).record(waitNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void batched(String model, int requests, int rows) {
		BatchMeters meters = batchMeters(model);
		if (meters != null) {
			meters.runs.increment();
			meters.requests.record(requests);
			meters.rows.record(rows);
		}
	}

	@Override
	public void batchQueued(String model, long queuedNanos) {
		BatchMeters meters = batchMeters(model);
		if (meters != null) {
			meters.queue.record(queuedNanos, TimeUnit.NANOSECONDS);
		}
	}

	private @Nullable BatchMeters batchMeters(String model) {
		MeterRegistry meters = this.meters;
		return (meters != null) ? this.batchMeters.computeIfAbsent(model, (name) -> new BatchMeters(meters, name))
				: null;
	}

	/**
	 * One batching model's meters: {@code model.batch.runs}, {@code model.batch.size} in rows and in requests per
	 * run, {@code model.batch.queue}.
	 */
	private record BatchMeters(Counter runs, DistributionSummary rows, DistributionSummary requests, Timer queue) {

		BatchMeters(MeterRegistry meters, String model) {
			this(Counter.builder("model.batch.runs")
				.description("Runs of a batching model, each answering one or more requests")
				.tags("model", model)
				.register(meters),
					DistributionSummary.builder("model.batch.size")
						.description("Size of each run of a batching model")
						.tags("model", model, "unit", "rows")
						.register(meters),
					DistributionSummary.builder("model.batch.size")
						.description("Size of each run of a batching model")
						.tags("model", model, "unit", "requests")
						.register(meters),
					Timer.builder("model.batch.queue")
						.description("Time requests of a batching model wait for their batch to start")
						.tags("model", model)
						.register(meters));
		}

	}

	@Override
	public void versionEvent(String model, long version, VersionEvent event) {
		MeterRegistry meters = this.meters;
		if (meters != null) {
			meters.counter("model.lifecycle", "model", model, "event", event.tag()).increment();
			refreshMemory(model);
		}
	}

	@Override
	public void reloaded(ReloadResult result) {
		MeterRegistry meters = this.meters;
		if (meters == null) {
			return;
		}
		String outcome = result.outcome().name().toLowerCase(java.util.Locale.ROOT);
		this.timers.computeIfAbsent("reload|" + result.model() + "|" + outcome,
				(key) -> Timer.builder("model.reload")
					.description("Model reloads, loading included")
					.tags("model", result.model(), "outcome", outcome)
					.register(meters))
			.record(result.took());
	}

}
