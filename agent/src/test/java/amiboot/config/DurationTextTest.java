package amiboot.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({
      "250ms, 250",
      "30s, 30000",
      "5m, 300000",
      "1h, 3600000",
      "1m30s, 90000",
      "1h2m3s4ms, 3723004",
      "90, 90000",
      "0, 0",
      "'  45s ', 45000",
  })
  void parse_operatorForms_givesDuration(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), DurationText.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5 minutes", "-1s", "", "   ", "1.5s", "5M", "s", "30s5", "5m 30s", "1d"})
  void parse_notADuration_throwsQuotingInput(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text));

    assertTrue(e.getMessage().contains("'" + text + "' is not a duration"), e.getMessage());
  }

  @Test
  void parse_bareNumber_isSeconds() {
    assertEquals(Duration.ofSeconds(90), DurationText.parse("90"));
  }

  @Test
  void format_subMinute_isSecondsWithTwoDecimals() {
    assertEquals("1.25s", DurationText.format(Duration.ofMillis(1250)));
    assertEquals("0.25s", DurationText.format(Duration.ofMillis(250)));
    assertEquals("30.00s", DurationText.format(Duration.ofSeconds(30)));
  }

  @Test
  void format_wholeMinutes_isMinutes() {
    assertEquals("5m", DurationText.format(Duration.ofMinutes(5)));
    assertEquals("90m", DurationText.format(Duration.ofMinutes(90)));
  }

  @Test
  void format_wholeHours_isHours() {
    assertEquals("2h", DurationText.format(Duration.ofHours(2)));
    assertEquals("1h", DurationText.format(Duration.ofMinutes(60)));
  }

  @Test
  void format_minutesWithSeconds_isSeconds() {
    assertEquals("90.00s", DurationText.format(Duration.ofSeconds(90)));
  }

  @Test
  void format_ofParse_roundTripsOperatorForms() {
    assertEquals("5m", DurationText.format(DurationText.parse("5m")));
    assertEquals("2h", DurationText.format(DurationText.parse("120m")));
    assertEquals("1.25s", DurationText.format(DurationText.parse("1s250ms")));
  }
}
