package amiboot.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateTest {

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }
  }

  @Test
  void variables_inOrderOfFirstUse_withoutDuplicates() {
    Template t = Template.parse("${current}/script/delayed_job -n ${workers} --pid ${current}/tmp/${ROLE}");

    assertEquals(List.of("current", "workers", "ROLE"), List.copyOf(t.variables()));
  }

  @Test
  void variables_plainText_none() {
    assertEquals(Set.of(), Template.parse("mongrel_rails").variables());
  }

  @Test
  void render_substitutesEveryVariable() {
    Template t = Template.parse("${current}/config/mongrel_cluster.yml");

    assertEquals("/home/payroll/current/config/mongrel_cluster.yml",
        t.render(Map.of("current", "/home/payroll/current")));
  }

  @Test
  void render_adjacentVariablesAndLiterals_keptInOrder() {
    Template t = Template.parse("a${X}${Y}b${X}");

    assertEquals("a12b1", t.render(Map.of("X", "1", "Y", "2")));
  }

  @Test
  void render_valueLookingLikeVariable_isNotExpandedAgain() {
    Template t = Template.parse("${DB}");

    assertEquals("${ROLE} $(reboot)", t.render(Map.of("DB", "${ROLE} $(reboot)", "ROLE", "app")));
  }

  @Test
  void render_extraValuesUnused_ignored() {
    assertEquals("production", Template.parse("production").render(Map.of("DB", "10.126.17.1")));
  }

  @Test
  void parse_doubleDollar_isOneLiteralDollar() {
    Template t = Template.parse("cost $$5 and $${HOME}");

    assertEquals(Set.of(), t.variables());
    assertEquals("cost $5 and ${HOME}", t.render(Map.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"$", "a$b", "5$", "$ {x}", "price: $10", "$(reboot)"})
  void parse_loneDollar_isLiteral(String raw) {
    Template t = Template.parse(raw);

    assertEquals(Set.of(), t.variables());
    assertEquals(raw, t.render(Map.of()));
  }

  @Test
  void parse_unterminatedVariable_throwsNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Template.parse("${current/bin/server"));

    assertContains(e.getMessage(), "unterminated ${", "'${current/bin/server'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"${1x}", "${}", "${a-b}", "${a b}", "x${DB.host}y"})
  void parse_badVariableName_throws(String raw) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Template.parse(raw));

    assertContains(e.getMessage(), "is not a variable name");
  }

  @Test
  void parse_badVariableName_messageQuotesIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Template.parse("${1x}"));

    assertContains(e.getMessage(), "'${1x}'");
  }

  @Test
  void render_undefinedVariable_throwsIllegalStateNamingIt() {
    Template t = Template.parse("${current}/x");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.render(Map.of("DB", "1")));

    assertContains(e.getMessage(), "undefined variable ${current}", "'${current}/x'");
  }

  @Test
  void literal_isRenderedVerbatimEvenWithDollarBrace() {
    Template t = Template.literal("${not_a_variable}");

    assertEquals(Set.of(), t.variables());
    assertEquals("${not_a_variable}", t.render(Map.of()));
  }

  @Test
  void toString_isTheRawText() {
    assertEquals("$${X}-${Y}", Template.parse("$${X}-${Y}").toString());
  }
}
