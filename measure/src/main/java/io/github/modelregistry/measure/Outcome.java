package io.github.modelregistry.measure;

import java.util.List;

/**
 * What an experiment measured and how to report it.
 *
 * @param name the subcommand's name, also the results' file name
 * @param title the report's title
 * @param method paragraphs saying what was measured and how
 * @param builds what each variant was built from
 * @param loadName the load generator
 * @param report the tables
 * @param runs every run
 * @param notes lines of the experiment's own (for example the reloads' status codes), or none
 */
record Outcome(String name, String title, List<String> method, List<String> builds, String loadName, Report report,
		List<Run> runs, List<String> notes) {
}
