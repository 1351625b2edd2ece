package io.github.modelregistry.protocol;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The repository extension's load body: what is understood, and a 400 naming what is not.
 */
class LoadParametersTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "''|false", "'  '|false", "{}|false", "{\"parameters\": {}}|false",
			"{\"parameters\": {\"evictable\": true}}|true", "{\"parameters\": {\"evictable\": false}}|false",
			" {\"parameters\" : {\"evictable\":true} } |true" })
	void understoodBodies(String body, boolean evictable) {
		assertThat(LoadParameters.parse(body.getBytes(StandardCharsets.UTF_8)).evictable()).isEqualTo(evictable);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "[]", "true", "\"evictable\"", "{\"evictable\": true}", "{\"parameters\": []}",
			"{\"parameters\": {\"evictable\": \"yes\"}}", "{\"parameters\": {\"evictable\": 1}}",
			"{\"parameters\": {\"evictable\": {\"value\": true}}}", "{\"parameters\": {\"config\": \"{}\"}}",
			"{\"parameters\": {\"file:1/model.onnx\": \"AAAA\"}}", "{\"parameters\": {}} {}",
			"{\"parameters\": {}, \"parameters\": {}}", "{\"parameters\": {\"evictable\": true, \"evictable\": false}}",
			"{\"parameters\": ", "{\"parameters\": {\"evictable\": tru}}", "\u0000" })
	void everyOtherBodyIsA400ThatSaysWhatIsWrong(String body) {
		assertThatExceptionOfType(V2Exception.class)
			.isThrownBy(() -> LoadParameters.parse(body.getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(400))
			.withMessageStartingWith("The load request's body ")
			.withMessageNotContaining("Exception");
	}

}
