package io.github.modelregistry.measure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SettingsTests {

	private static final Path ROOT = Path.of(".");

	@Test
	void defaultsAreFiveRoundsOfTenSecondsAtThirtyTwoInFlightOfTheWorkingTree() {
		Settings settings = Settings.parse(ROOT, List.of());
		assertThat(settings.rounds()).isEqualTo(5);
		assertThat(settings.seconds()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.inFlight()).isEqualTo(32);
		assertThat(settings.refs()).containsExactly(".");
		assertThat(settings.publishes()).isTrue();
	}

	@Test
	void fewerThanFiveRoundsArePublishedOnlyWhenAskedFor() {
		assertThat(Settings.parse(ROOT, List.of("--rounds", "3")).publishes()).isFalse();
		assertThat(Settings.parse(ROOT, List.of("--rounds", "3", "--publish")).publishes()).isTrue();
		assertThat(Settings.parse(ROOT, List.of("--no-publish")).publishes()).isFalse();
	}

	@Test
	void refsAccumulateAndOptionsAreKeptForTheReport() {
		Settings settings = Settings.parse(ROOT, List.of("--ref", "a2c3bcf", "--ref", ".", "--seconds", "15"));
		assertThat(settings.refs()).containsExactly("a2c3bcf", ".");
		assertThat(settings.seconds()).isEqualTo(Duration.ofSeconds(15));
		assertThat(settings.arguments()).containsExactly("--ref", "a2c3bcf", "--ref", ".", "--seconds", "15");
	}

	@Test
	void badOptionsAreRefusedWithTheirName() {
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.parse(ROOT, List.of("--rounds", "0")))
			.withMessage("--rounds must be positive, not 0");
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.parse(ROOT, List.of("--seconds", "ten")))
			.withMessage("--seconds must be a number, not ten");
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.parse(ROOT, List.of("--rounds")))
			.withMessage("no value for --rounds");
		assertThatIllegalArgumentException().isThrownBy(() -> Settings.parse(ROOT, List.of("--colour", "blue")))
			.withMessage("unknown option --colour");
		assertThatIllegalArgumentException().isThrownBy(() -> Load.choose("curl")).withMessageContaining("curl");
	}

	@Test
	void freshProcessesAreAFlagOffByDefault() {
		assertThat(Settings.parse(ROOT, List.of()).freshProcesses()).isFalse();
		Settings fresh = Settings.parse(ROOT, List.of("--fresh-processes", "--rounds", "3"));
		assertThat(fresh.freshProcesses()).isTrue();
		assertThat(fresh.rounds()).isEqualTo(3);
	}

	@Test
	void theSmokeModeIsOneShortRoundThatPublishesNothing() {
		Settings quick = Settings.parse(ROOT, List.of("--rounds", "7", "--publish")).quick();
		assertThat(quick.rounds()).isEqualTo(1);
		assertThat(quick.publishes()).isFalse();
		assertThat(quick.driver()).isEqualTo("java");
	}

	@Test
	void variantsTakeTurnsTheFirstRotatingByRound() {
		List<String> variants = List.of("a", "b", "c");
		assertThat(Subjects.rotated(variants, 1)).containsExactly("a", "b", "c");
		assertThat(Subjects.rotated(variants, 2)).containsExactly("b", "c", "a");
		assertThat(Subjects.rotated(variants, 3)).containsExactly("c", "a", "b");
		assertThat(Subjects.rotated(variants, 4)).containsExactly("a", "b", "c");
	}

}
