package io.kiln;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.logical.Call;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Function;
import io.kiln.logical.Limit;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.optimizer.OptimizerRule;
import io.kiln.testing.Modes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules given to the session builder run after the built-in ones, on every query. */
class UserOptimizerRuleTest {
  static List<ExecutionMode> modes() {
    return Modes.all();
  }

  /** Rewrites upper(x) to lower(x) in projections: a rule whose work the result shows. */
  static final class UpperBecomesLower implements OptimizerRule {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public LogicalPlan apply(LogicalPlan plan) {
      runs.incrementAndGet();
      List<LogicalPlan> inputs = new ArrayList<>();
      for (LogicalPlan in : plan.inputs()) {
        inputs.add(apply(in));
      }
      LogicalPlan p = plan.inputs().isEmpty() ? plan : plan.withInputs(inputs);
      if (!(p instanceof Project)) {
        return p;
      }
      Project pr = (Project) p;
      List<Expr> exprs = new ArrayList<>();
      for (Expr e : pr.exprs()) {
        exprs.add(Exprs.transform(e, x -> x instanceof Call && ((Call) x).function() == Function.UPPER
            ? new Call(Function.LOWER, ((Call) x).args(), x.type()) : x));
      }
      return new Project(pr.input(), exprs, pr.output());
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void aUserRuleRewritesThePlanAfterTheBuiltInRules(ExecutionMode mode) {
    UpperBecomesLower rule = new UpperBecomesLower();
    try (Kiln kiln = Modes.builder(mode).threads(2).optimizerRule(rule).build()) {
      Result r = kiln.execute("SELECT upper(s) AS u, n FROM (VALUES ('MiXeD', 1), ('ABC', 2)) v(s, n) ORDER BY n");
      assertEquals(List.of(List.of("mixed", 1), List.of("abc", 2)), r.rowLists());
      StringBuilder plan = new StringBuilder();
      kiln.execute("EXPLAIN SELECT upper(s) FROM (VALUES ('A')) v(s)").rows()
          .forEach(row -> plan.append(java.util.Arrays.toString(row)).append('\n'));
      assertTrue(plan.toString().contains("lower"), plan.toString());
      assertTrue(rule.runs.get() > 0);
    }
    try (Kiln plain = Modes.builder(mode).threads(2).build()) {
      assertEquals(List.of(List.of("MIXED")), plain.execute("SELECT upper('MiXeD')").rowLists(),
          "a session without the rule is untouched");
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void rulesRunInTheOrderAdded(ExecutionMode mode) {
    // limit to 3 rows, then to 1: the second sees the first's plan
    OptimizerRule three = plan -> new Limit(plan, 3, 0);
    OptimizerRule one = plan -> new Limit(plan, 1, 0);
    try (Kiln kiln = Modes.builder(mode).threads(2).optimizerRule(three).optimizerRule(one).build()) {
      assertEquals(1, kiln.execute("SELECT * FROM (VALUES (1), (2), (3), (4), (5)) v(n)").rowCount());
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void aFailingOrResultChangingRuleIsReportedByName(ExecutionMode mode) {
    OptimizerRule failing = new OptimizerRule() {
      @Override
      public LogicalPlan apply(LogicalPlan plan) {
        throw new IllegalStateException("boom");
      }

      @Override
      public String name() {
        return "Failing";
      }
    };
    try (Kiln kiln = Modes.builder(mode).threads(1).optimizerRule(failing).build()) {
      KilnException e = assertThrows(KilnException.class, () -> kiln.execute("SELECT 1"));
      assertEquals("execution error: optimizer rule Failing failed: java.lang.IllegalStateException: boom",
          e.getMessage());
    }
    OptimizerRule dropsColumns = new OptimizerRule() {
      @Override
      public LogicalPlan apply(LogicalPlan plan) {
        return plan.input();
      }

      @Override
      public String name() {
        return "DropsTheProjection";
      }
    };
    try (Kiln kiln = Modes.builder(mode).threads(1).optimizerRule(dropsColumns).build()) {
      KilnException e = assertThrows(KilnException.class,
          () -> kiln.execute("SELECT n + 1 AS m FROM (VALUES (1)) v(n)"));
      assertTrue(e.getMessage().startsWith("execution error: optimizer rule DropsTheProjection changed the query's "
          + "output columns"), e.getMessage());
    }
  }
}
