package io.github.modelregistry.measure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The median of a figure over rounds and its spread (the smallest and largest value). The median of an even count is
 * the mean of the two middle values.
 *
 * @param median the median
 * @param min the smallest value
 * @param max the largest value
 * @param count how many values
 */
record Summary(double median, double min, double max, int count) {

	static Summary of(List<Double> values) {
		if (values.isEmpty()) {
			return new Summary(Double.NaN, Double.NaN, Double.NaN, 0);
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		double median = (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		return new Summary(median, sorted.get(0), sorted.get(n - 1), n);
	}

	/** Whether a value lies inside this spread */
	boolean contains(double value) {
		return value >= this.min && value <= this.max;
	}

	/** {@code median [min–max]} with the given decimals, or {@code –} when there is no value */
	String format(int decimals) {
		if (this.count == 0) {
			return "–";
		}
		String number = "%." + decimals + "f";
		return String.format(Locale.ROOT, number + " [" + number + "–" + number + "]", this.median, this.min,
				this.max);
	}

}
