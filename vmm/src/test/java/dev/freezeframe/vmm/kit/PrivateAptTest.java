package dev.freezeframe.vmm.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateAptTest {
    @TempDir
    Path dir;

    @Test
    void sourcesListNamesTheSuitesWithTheArchiveKeyring() {
        List<String> lines = PrivateApt.sourcesList().lines().filter(l -> l.startsWith("deb ")).toList();
        assertEquals(List.of(
                "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main",
                "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main",
                "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main"),
                lines);
    }

    @Test
    void configurationKeepsAptInsideTheCache() throws IOException {
        PrivateApt apt = new PrivateApt(dir, new Tools(dir.resolve("log")));
        apt.writeConfig();
        String conf = Files.readString(apt.configFile());
        assertTrue(conf.contains("Dir::Etc::sourcelist \"" + dir.resolve("sources.list") + "\";"), conf);
        assertTrue(conf.contains("Dir::Etc::sourceparts \"/dev/null\";"), conf);
        assertTrue(conf.contains("Dir::State::Lists \"" + dir.resolve("lists") + "\";"), conf);
        assertTrue(conf.contains("Dir::Cache \"" + dir.resolve("cache") + "\";"), conf);
        assertFalse(conf.contains("/etc/apt"), conf);
        assertTrue(Files.isDirectory(dir.resolve("lists/partial")));
        assertTrue(Files.isDirectory(dir.resolve("cache/archives/partial")));
        assertEquals(PrivateApt.sourcesList(), Files.readString(dir.resolve("sources.list")));
        assertEquals(List.of("apt-get", "-c", apt.configFile().toString(), "-q", "update"), apt.command("apt-get", "update"));
        assertFalse(apt.hasLists());
    }

    @Test
    void debianVersionsOrderAsDpkgDoes() {
        assertTrue(DebianVersion.compare("7.3.4+deb13", "7.2.13+deb14") > 0);
        assertTrue(DebianVersion.compare("7.2.13-1", "7.2.12-1~bpo13+1") > 0);
        assertTrue(DebianVersion.compare("7.3.4-1~bpo13+1", "7.3.4-1") < 0);
        assertTrue(DebianVersion.compare("1:22.1.8-1~deb13u4", "22.9") > 0);
        assertTrue(DebianVersion.compare("6.12.107+deb13", "6.12.94+deb13") > 0);
        assertTrue(DebianVersion.compare("1.0~rc1", "1.0") < 0);
        assertEquals(0, DebianVersion.compare("1.0-1", "1.0-1"));
        assertTrue(DebianVersion.compare("1.0a", "1.0+") < 0);
    }

    @Test
    void kernelSeriesComesFromTheVersion() {
        assertEquals("7.3", KitBuilder.majorMinor("7.3.4+deb13-cloud-amd64"));
        assertEquals("6.12", KitBuilder.majorMinor("6.12.107+deb13-cloud-amd64"));
    }
}
