package dev.jlx.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module arrows of docs/design.md, checked on the compiled classes. */
class ArchitectureTest {
    private static final JavaClasses JLX = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.jlx");

    @Test
    void coreNeverSeesJnrNorBackendsNorTools() {
        noClasses().that().resideInAPackage("dev.jlx.core..")
                .should().dependOnClassesThat().resideInAnyPackage("jnr..", "dev.jlx.host..", "dev.jlx.tools..")
                .check(JLX);
    }

    @Test
    void abiDependsOnNothingButTheJdk() {
        classes().that().resideInAPackage("dev.jlx.abi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.jlx.abi..", "java..")
                .check(JLX);
    }

    @Test
    void onlyTheCpuPackageBindsNativeCode() {
        noClasses().that().resideInAPackage("dev.jlx.core..").and().resideOutsideOfPackage("dev.jlx.core.cpu..")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.Linker")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.SymbolLookup")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.FunctionDescriptor")
                .check(JLX);
    }

    @Test
    void hostBackendsSeeNeitherSyscallsNorStructLayouts() {
        noClasses().that().resideInAPackage("dev.jlx.host..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.jlx.core.syscall..", "dev.jlx.abi.struct..",
                        "dev.jlx.core.kernel..", "dev.jlx.core.cpu..")
                .check(JLX);
    }
}
