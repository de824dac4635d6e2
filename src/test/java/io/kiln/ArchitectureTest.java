package io.kiln;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * DESIGN.md's package layering as rules over the compiled main classes: dependencies point down
 * the flow (sql -> logical -> optimizer -> physical.plan -> physical -> codegen, all over exec),
 * with error, types and data at the bottom. Change this test and DESIGN.md's package table together.
 */
@AnalyzeClasses(packages = "io.kiln",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {
  /** The packages above the engine, which may use the API (classes directly in io.kiln) and sql. */
  private static final String[] TOP = {"io.kiln", "io.kiln.cli..", "io.kiln.tpch..", "io.kiln.tpcds..", "io.kiln.server.."};

  @ArchTest
  static final ArchRule nothingBelowUsesTheApi = noClasses()
      .that().resideOutsideOfPackages(TOP)
      .should().dependOnClassesThat().resideInAPackage("io.kiln")
      .because("the API (Kiln, DataFrame, Result, ...) sits on top; errors live in io.kiln.error");

  @ArchTest
  static final ArchRule nothingBelowUsesSql = noClasses()
      .that().resideOutsideOfPackages(with(TOP, "io.kiln.sql.."))
      .should().dependOnClassesThat().resideInAPackage("io.kiln.sql..")
      .because("SQL text is bound into logical plans at the top; nothing below knows SQL");

  @ArchTest
  static final ArchRule errorIsSelfContained = usesOnlyKiln("error");

  @ArchTest
  static final ArchRule typesUseOnlyError = usesOnlyKiln("types", "error");

  @ArchTest
  static final ArchRule dataUsesOnlyTypesAndError = usesOnlyKiln("data", "types", "error");

  @ArchTest
  static final ArchRule sourcesAndCatalogKnowNoPlansOrOperators = noClasses()
      .that().resideInAnyPackage("io.kiln.datasource..", "io.kiln.catalog..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.kiln.physical..", "io.kiln.exec..", "io.kiln.codegen..", "io.kiln.optimizer..", "io.kiln.sql..");

  @ArchTest
  static final ArchRule logicalKnowsNoExecutionOrArrowBuffers = noClasses()
      .that().resideInAPackage("io.kiln.logical..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.kiln.physical..", "io.kiln.exec..", "io.kiln.codegen..", "org.apache.arrow.memory..");

  @ArchTest
  static final ArchRule optimizerKnowsNoExecution = noClasses()
      .that().resideInAPackage("io.kiln.optimizer..")
      .should().dependOnClassesThat().resideInAnyPackage("io.kiln.physical..", "io.kiln.exec..", "io.kiln.codegen..");

  @ArchTest
  static final ArchRule physicalAndCodegenKnowNoSql = noClasses()
      .that().resideInAnyPackage("io.kiln.physical..", "io.kiln.codegen..")
      .should().dependOnClassesThat().resideInAPackage("io.kiln.sql..");

  @ArchTest
  static final ArchRule physicalPlansAreDataOnly = noClasses()
      .that().resideInAPackage("io.kiln.physical.plan..")
      .should().dependOnClassesThat(resideInAnyPackage("io.kiln.physical..", "io.kiln.exec..", "io.kiln.codegen..",
          "org.apache.arrow.memory..").and(not(resideInAPackage("io.kiln.physical.plan.."))))
      .because("a physical plan holds types and expressions only; turning it into operators is DagBuilder's job");

  @ArchTest
  static final ArchRule theExecutorKnowsNoOperators = noClasses()
      .that().resideInAPackage("io.kiln.exec..")
      .should().dependOnClassesThat().resideInAnyPackage("io.kiln.physical..", "io.kiln.codegen..")
      .because("exec runs PipelineTasks; physical implements them");

  @ArchTest
  static final ArchRule operatorsKnowNoGeneratedCode = noClasses()
      .that().resideInAPackage("io.kiln.physical..")
      .should().dependOnClassesThat().resideInAPackage("io.kiln.codegen..")
      .because("the execution mode is chosen in one place, PipelineBodies, which codegen implements");

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles = slices().matching("io.kiln.(*)..").should().beFreeOfCycles();

  /** Classes of {@code layer} depend on no Kiln package but their own and {@code allowed}. */
  private static ArchRule usesOnlyKiln(String layer, String... allowed) {
    String[] own = new String[allowed.length + 1];
    own[0] = "io.kiln." + layer + "..";
    for (int i = 0; i < allowed.length; i++) {
      own[i + 1] = "io.kiln." + allowed[i] + "..";
    }
    return noClasses()
        .that().resideInAPackage(own[0])
        .should().dependOnClassesThat(resideInAPackage("io.kiln..").and(not(resideInAnyPackage(own))))
        .as("io.kiln." + layer + " depends on no Kiln package but " + Arrays.toString(allowed));
  }

  private static String[] with(String[] packages, String more) {
    String[] out = Arrays.copyOf(packages, packages.length + 1);
    out[packages.length] = more;
    return out;
  }
}
