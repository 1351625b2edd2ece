package io.github.modelregistry.sample;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The operator's login against a real bcrypt hash: a verified credential is checked by bcrypt once, then served
 * from the cache; a wrong password is never remembered; unknown credentials beyond the check limit are refused
 * before any hashing.
 */
class CachingAuthenticationManagerTests {

	private final AtomicInteger checks = new AtomicInteger();

	private final ReactiveAuthenticationManager bcrypt = counting(new UserDetailsRepositoryReactiveAuthenticationManager(
			new MapReactiveUserDetailsService(User.withUsername("operator")
				.password(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode("secret"))
				.roles("USER")
				.build())));

	/** As the sample has it: two bcrypt checks a second. */
	private CachingAuthenticationManager manager = new CachingAuthenticationManager(this.bcrypt);

	@Test
	void aVerifiedCredentialIsCheckedByBcryptOnce() {
		for (int i = 0; i < 50; i++) {
			assertThat(login("operator", "secret").isAuthenticated()).isTrue();
		}
		assertThat(this.checks).hasValue(1);
		assertThat(this.manager.remembered()).isOne();
	}

	@Test
	void aWrongPasswordIsRefusedAndNotRemembered() {
		this.manager = new CachingAuthenticationManager(this.bcrypt, 100);
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> login("operator", "wrong"));
		assertThat(this.manager.remembered()).isZero();
		// The right password after a wrong one, and a wrong one after the right one was remembered
		assertThat(login("operator", "secret").isAuthenticated()).isTrue();
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> login("operator", "secre"));
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> login("operato", "secret"));
	}

	@Test
	void unknownCredentialsBeyondTheLimitAreRefusedWithoutHashingWhileTheOperatorGoesOn() {
		assertThat(login("operator", "secret").isAuthenticated()).isTrue();
		int checksBefore = this.checks.get();
		int refused = 0;
		for (int i = 0; i < 20; i++) {
			try {
				login("operator", "guess-" + i);
			}
			catch (TooManyLoginAttemptsException ex) {
				refused++;
				assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(1));
			}
			catch (BadCredentialsException ex) {
				// Checked within the limit
			}
			// The verified operator is never refused
			assertThat(login("operator", "secret").isAuthenticated()).isTrue();
		}
		int hashed = this.checks.get() - checksBefore;
		// 20 guesses within well under a few seconds: at most the limit per second elapsed is checked
		assertThat(hashed).isLessThan(20).isEqualTo(20 - refused);
		assertThat(refused).isPositive();
	}

	private Authentication login(String user, String password) {
		return this.manager.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(user, password))
			.block(Duration.ofSeconds(10));
	}

	private ReactiveAuthenticationManager counting(ReactiveAuthenticationManager delegate) {
		return (authentication) -> Mono.defer(() -> {
			this.checks.incrementAndGet();
			return delegate.authenticate(authentication);
		});
	}

}
