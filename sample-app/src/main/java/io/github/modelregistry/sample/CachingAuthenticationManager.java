package io.github.modelregistry.sample;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Makes HTTP Basic cheap for an operator who calls Actuator often, without storing the password: the password is
 * kept only as a bcrypt hash (deliberately ~70 ms of CPU to check), and a credential that checked out is remembered
 * for a while in a Caffeine cache under an HMAC-SHA256 of the user and password, with a key drawn at start-up and
 * held only in memory. A repeated call costs one HMAC and one cache look-up, a few microseconds; a different or
 * wrong password is checked by bcrypt again. The cache holds no password and nothing an attacker with a heap dump
 * could check guesses against without the key.
 * <p>
 * What failed attempts can cost is bounded: bcrypt checks of credentials not in the cache are limited by a
 * Resilience4j {@link RateLimiter} (a few per second, no waiting); beyond it an attempt is refused at once with
 * {@link TooManyLoginAttemptsException} (429), before any hashing. An operator already verified keeps working
 * while someone guesses, as their calls hit the cache.
 */
final class CachingAuthenticationManager implements ReactiveAuthenticationManager {

	/** How long a verified credential is remembered: a changed password takes at most this long to take effect. */
	static final Duration REMEMBER_FOR = Duration.ofMinutes(5);

	/** Bcrypt checks per second for credentials not remembered: two take ~14 % of one core at most. */
	static final int CHECKS_PER_SECOND = 2;

	private static final String HMAC = "HmacSHA256";

	private final ReactiveAuthenticationManager delegate;

	private final SecretKeySpec key;

	private final Cache<String, Authentication> verified = Caffeine.newBuilder()
		.maximumSize(1_000)
		.expireAfterWrite(REMEMBER_FOR)
		.build();

	private final RateLimiter checks;

	/**
	 * @param delegate what checks a credential not remembered (against the bcrypt hash)
	 */
	CachingAuthenticationManager(ReactiveAuthenticationManager delegate) {
		this(delegate, CHECKS_PER_SECOND);
	}

	CachingAuthenticationManager(ReactiveAuthenticationManager delegate, int checksPerSecond) {
		this.delegate = delegate;
		this.checks = RateLimiter.of("operator-login", RateLimiterConfig.custom()
			.limitForPeriod(checksPerSecond)
			.limitRefreshPeriod(Duration.ofSeconds(1))
			.timeoutDuration(Duration.ZERO)
			.build());
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.key = new SecretKeySpec(secret, HMAC);
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		if (!(authentication instanceof UsernamePasswordAuthenticationToken)
				|| !(authentication.getCredentials() instanceof String password)) {
			return this.delegate.authenticate(authentication);
		}
		String fingerprint = fingerprint(authentication.getName(), password);
		Authentication remembered = this.verified.getIfPresent(fingerprint);
		if (remembered != null) {
			return Mono.just(remembered);
		}
		if (!this.checks.acquirePermission()) {
			return Mono.error(new TooManyLoginAttemptsException(Duration.ofSeconds(1)));
		}
		return this.delegate.authenticate(authentication)
			.doOnNext((checked) -> this.verified.put(fingerprint, checked));
	}

	/**
	 * Returns how many credentials are remembered (for tests).
	 */
	long remembered() {
		this.verified.cleanUp();
		return this.verified.estimatedSize();
	}

	private String fingerprint(String username, String password) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(this.key);
			// The length prefix keeps ("ab", "c") and ("a", "bc") apart
			mac.update((username.length() + ":" + username + ":").getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
