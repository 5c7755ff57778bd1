package dev.freezeframe.vmm.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.Accelerator;
import dev.freezeframe.vmm.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateKeyTest {
    @TempDir
    Path dir;

    private VmSpec spec(Path kernel, Path initrd, int vcpus) {
        return VmSpec.builder().kernel(kernel).addInitrd(initrd).vcpus(vcpus).memoryMiB(1024).build();
    }

    @Test
    void anyInputThatChangesTheGuestGivesAnotherKeyInTheSameSlot() throws IOException {
        Path kernel = Files.writeString(dir.resolve("bzImage"), "kernel 1");
        Path initrd = Files.writeString(dir.resolve("initramfs"), "agent 1");
        Path qemu = Files.writeString(dir.resolve("qemu"), "qemu");
        TemplateKey key = TemplateKey.of(spec(kernel, initrd, 2), Accelerator.TCG, qemu, "console=ttyS0");
        assertEquals(key, TemplateKey.of(spec(kernel, initrd, 2), Accelerator.TCG, qemu, "console=ttyS0"));
        assertEquals("2cpu-1024M-tcg", key.slot());
        assertTrue(key.directoryName().startsWith("2cpu-1024M-tcg-"));

        assertNotEquals(key, TemplateKey.of(spec(kernel, initrd, 2), Accelerator.TCG, qemu, "console=ttyS1"));
        assertNotEquals(key.slot(), TemplateKey.of(spec(kernel, initrd, 4), Accelerator.TCG, qemu, "console=ttyS0")
                .slot());

        Files.writeString(initrd, "agent 2"); // a rebuilt agent in the kit's initramfs
        Files.setLastModifiedTime(initrd, FileTime.fromMillis(Files.getLastModifiedTime(initrd).toMillis() + 1000));
        TemplateKey newAgent = TemplateKey.of(spec(kernel, initrd, 2), Accelerator.TCG, qemu, "console=ttyS0");
        assertNotEquals(key.digest(), newAgent.digest());
        assertEquals(key.slot(), newAgent.slot(), "the new template replaces the stale one in its slot");
    }

    @Test
    void publishingATemplateDropsTheStaleOneOfItsSlotAndNoOther() throws IOException {
        BootTemplates store = new BootTemplates(dir.resolve("templates"));
        BootTemplate stale = store.of(new TemplateKey("2cpu-1024M-tcg", "a".repeat(64)));
        BootTemplate other = store.of(new TemplateKey("4cpu-1024M-tcg", "b".repeat(64)));
        BootTemplate fresh = store.of(new TemplateKey("2cpu-1024M-tcg", "c".repeat(64)));
        for (BootTemplate t : new BootTemplate[] {stale, other, fresh}) {
            Path work = store.prepare(t);
            Files.writeString(work.resolve(BootTemplate.DEVICES), "d");
            Files.writeString(work.resolve(BootTemplate.RAM), "r");
            store.publish(work, t);
        }
        assertTrue(fresh.exists());
        assertTrue(other.exists());
        assertTrue(!Files.exists(stale.dir()));
    }
}
