package io.github.modelregistry.webflux.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.EventLoop;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Time-outs of a request on the event loop its connection belongs to. Reactor's default for {@code timeout} is its
 * parallel scheduler: a {@code ScheduledThreadPoolExecutor} per worker, so every request's body time-out took a lock
 * to be scheduled and another to be cancelled, on another thread's queue, waking it (16–20 µs of the parallel
 * threads' CPU per inference, {@code gatling/results/baseline/baseline.md}). Scheduled from the event loop itself,
 * Netty adds the task to the loop's own queue without a lock or a wake-up, and cancelling it there is as cheap.
 * <p>
 * One scheduler per event loop, made once and kept for the JVM's life (there are as many as the server has event
 * loops); never disposed, since disposing it would shut the event loop down. Off Reactor Netty, or for a request
 * whose connection is not known (a mock request in a test), Reactor's parallel scheduler.
 */
final class EventLoopTimers {

	private static final Map<EventLoop, Scheduler> schedulers = new ConcurrentHashMap<>();

	private EventLoopTimers() {
	}

	static Scheduler of(ServerHttpRequest request) {
		Connection connection = MalformedRequestHandler.connection(request);
		if (connection != null) {
			return schedulers.computeIfAbsent(connection.channel().eventLoop(), Schedulers::fromExecutorService);
		}
		return Schedulers.parallel();
	}

}
