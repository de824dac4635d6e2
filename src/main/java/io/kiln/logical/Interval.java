package io.kiln.logical;

/** An INTERVAL literal's value: whole months and days (SQL year-month and day intervals). */
public final class Interval {
  private final int months;
  private final long days;

  public Interval(int months, long days) {
    this.months = months;
    this.days = days;
  }

  public int months() {
    return months;
  }

  public long days() {
    return days;
  }

  public Interval negate() {
    return new Interval(-months, -days);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Interval && ((Interval) o).months == months && ((Interval) o).days == days;
  }

  @Override
  public int hashCode() {
    return months * 31 + Long.hashCode(days);
  }

  @Override
  public String toString() {
    return "INTERVAL " + (months != 0 ? months + " MONTH " : "") + (days != 0 || months == 0 ? days + " DAY" : "");
  }
}
