package dev.jlx.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The module arrows of the design (section 1), checked on the compiled classes of every module. */
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

    /** Only the engine binding and the host backends bind native code with FFM. */
    @Test
    void onlyTheCpuPackageBindsNativeCode() {
        noClasses().that().resideOutsideOfPackages("dev.jlx.core.cpu..", "dev.jlx.host..")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.Linker")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.SymbolLookup")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.FunctionDescriptor")
                .check(JLX);
    }

    /** The import really found every module: an empty import would make every rule above pass. */
    @Test
    void everyModuleIsImported() {
        for (String pkg : List.of("dev.jlx.abi", "dev.jlx.core.api", "dev.jlx.core.cpu", "dev.jlx.core.syscall",
                "dev.jlx.core.fs", "dev.jlx.core.host",
                "dev.jlx.host.posix", "dev.jlx.host.windows", "dev.jlx.tools")) {
            assertTrue(JLX.containPackage(pkg), "no classes imported from " + pkg);
        }
    }

    /**
     * The VFS has file types of its own ({@code FileOps}, {@code FileSystem}): the host SPI's file
     * types are one implementation behind hostfs, never what a file system of core is.
     */
    @Test
    void fileSystemsImplementNoHostSpiType() {
        noClasses().that().resideInAPackage("dev.jlx.core.fs..")
                .should().implement("dev.jlx.core.host.HostFile")
                .orShould().implement("dev.jlx.core.host.HostFiles")
                .orShould().beAssignableTo("dev.jlx.core.host.HostFile")
                .orShould().beAssignableTo("dev.jlx.core.host.HostFiles")
                .check(JLX);
    }

    /** The host SPI knows nothing of the VFS built on it. */
    @Test
    void hostSpiDoesNotSeeTheVfs() {
        noClasses().that().resideInAPackage("dev.jlx.core.host..")
                .should().dependOnClassesThat().resideInAPackage("dev.jlx.core.fs..")
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
