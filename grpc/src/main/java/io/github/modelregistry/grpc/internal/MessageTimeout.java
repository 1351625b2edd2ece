package io.github.modelregistry.grpc.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Closes a call whose request has not fully arrived in time: the gRPC face's counterpart of the REST face's body
 * time-out. grpc-java holds a call open for as long as its client takes to send the message and half-close, and a
 * client that sets no deadline may take forever, holding the bytes it sent so far; this bounds that wait with
 * {@code DEADLINE_EXCEEDED}. The wait ends at half-close, when the request is complete and the method runs; what
 * follows (permit, queue, run) is bounded by the model's protection, not here.
 * <p>
 * A call is not thread-safe and the timer fires on its own thread, so the call is wrapped: its methods, the timer's
 * close and the arrival of the request are serialised on the wrapper, and once one side has closed the call the
 * other's close or message is dropped rather than thrown. The timers share one daemon thread; a cancelled timer is
 * removed from its queue at once.
 */
public final class MessageTimeout implements ServerInterceptor, AutoCloseable {

	private final Duration timeout;

	private final ScheduledThreadPoolExecutor timers;

	/**
	 * @param timeout the longest a client may take to send its request, from the call's start to its half-close
	 */
	public MessageTimeout(Duration timeout) {
		this.timeout = timeout;
		this.timers = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "model-registry-grpc-message-timeout");
			thread.setDaemon(true);
			return thread;
		});
		this.timers.setRemoveOnCancelPolicy(true);
	}

	@Override
	public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
			ServerCallHandler<Q, A> next) {
		Guarded<Q, A> guarded = new Guarded<>(call, this.timeout);
		guarded.timer = this.timers.schedule(guarded::expire, this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(guarded, headers)) {

			@Override
			public void onMessage(Q message) {
				if (guarded.open()) {
					super.onMessage(message);
				}
			}

			@Override
			public void onHalfClose() {
				if (guarded.arrived()) {
					super.onHalfClose();
				}
			}

			@Override
			public void onCancel() {
				guarded.stopTimer();
				super.onCancel();
			}

			@Override
			public void onComplete() {
				guarded.stopTimer();
				super.onComplete();
			}

		};
	}

	@Override
	public void close() {
		this.timers.shutdownNow();
	}

	/**
	 * A call whose methods are serialised with its timer's close.
	 */
	private static final class Guarded<Q, A> extends ForwardingServerCall.SimpleForwardingServerCall<Q, A> {

		private final Duration timeout;

		volatile @Nullable ScheduledFuture<?> timer;

		/** Guarded by this: the request is complete, the timer no longer applies. */
		private boolean arrived;

		/** Guarded by this: the call was closed, by the service or by the timer. */
		private boolean closed;

		Guarded(ServerCall<Q, A> call, Duration timeout) {
			super(call);
			this.timeout = timeout;
		}

		synchronized void expire() {
			if (!this.arrived && !this.closed) {
				this.closed = true;
				super.close(Status.DEADLINE_EXCEEDED.withDescription("The request did not arrive within "
						+ this.timeout.toMillis() + " ms (model-registry.grpc.message-timeout)"), new Metadata());
			}
		}

		synchronized boolean open() {
			return !this.closed;
		}

		/**
		 * The request is complete: stops the timer; false if the timer closed the call first.
		 */
		synchronized boolean arrived() {
			if (this.closed) {
				return false;
			}
			this.arrived = true;
			stopTimer();
			return true;
		}

		void stopTimer() {
			ScheduledFuture<?> timer = this.timer;
			if (timer != null) {
				timer.cancel(false);
			}
		}

		@Override
		public synchronized void request(int numMessages) {
			if (!this.closed) {
				super.request(numMessages);
			}
		}

		@Override
		public synchronized void sendHeaders(Metadata headers) {
			if (!this.closed) {
				super.sendHeaders(headers);
			}
		}

		@Override
		public synchronized void sendMessage(A message) {
			if (!this.closed) {
				super.sendMessage(message);
			}
		}

		@Override
		public synchronized void close(Status status, Metadata trailers) {
			if (!this.closed) {
				this.closed = true;
				super.close(status, trailers);
			}
		}

		@Override
		public synchronized boolean isReady() {
			return !this.closed && super.isReady();
		}

	}

}
