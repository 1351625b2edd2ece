/**
 * Renders the benchmarks' JSON results into a Markdown report and PNG charts.
 */
@NullMarked
package io.github.modelregistry.benchmarks.report;

import org.jspecify.annotations.NullMarked;
