package io.github.modelregistry.sample;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.modelregistry.holder.HolderStrategy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight clients infer over HTTP without pause while fifty reloads go through the authenticated Actuator endpoint:
 * no inference fails, for every strategy that reloads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReloadUnderLoadTests {

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = HolderStrategy.class, names = { "SHARDED_RCU", "RWLOCK", "MUTEX", "PER_REQUEST" })
	void noInferenceFailsWhileModelsAreReloadedThroughActuator(HolderStrategy strategy) throws Exception {
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--server.port=0", "--management.server.port=0", "--model-registry.strategy=" + strategy.value(),
				"--spring.security.user.password=" + SampleModels.PASSWORD)) {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			int management = Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
			int clients = 8;
			CyclicBarrier start = new CyclicBarrier(clients + 1);
			AtomicBoolean done = new AtomicBoolean();
			Queue<String> failures = new ConcurrentLinkedQueue<>();
			ExecutorService pool = Executors.newFixedThreadPool(clients);
			List<Future<Integer>> counts = new ArrayList<>();
			try {
				for (int i = 0; i < clients; i++) {
					counts.add(pool.submit(() -> {
						start.await();
						int answered = 0;
						do {
							HttpResponse<String> response = SampleModels.infer(port, "restaurant-ranker");
							if (response.statusCode() != 200) {
								failures.add(response.statusCode() + " " + response.body());
							}
							answered++;
						}
						while (!done.get());
						return answered;
					}));
				}
				start.await();
				for (int i = 0; i < 50; i++) {
					HttpResponse<String> reload = SampleModels.reload(management, "restaurant-ranker",
							"{\"version\": " + (1 + i % 2) + "}", true);
					assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
				}
				done.set(true);
				int answered = 0;
				for (Future<Integer> count : counts) {
					answered += count.get(60, TimeUnit.SECONDS);
				}
				assertThat(failures).isEmpty();
				System.out.printf("%s: 50 reloads through Actuator while 8 clients got %d answers, none failed%n",
						strategy, answered);
			}
			finally {
				done.set(true);
				pool.shutdownNow();
			}
		}
	}

}
