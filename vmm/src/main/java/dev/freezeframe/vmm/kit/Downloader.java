package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Downloads a .deb into the cache with byte progress. A partial download stays as {@code NAME.partial} and is resumed
 * (HTTP Range) next time; the finished file must match the sha256 from apt's signed index before it is used.
 */
final class Downloader {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();
    private final KitProgress progress;

    Downloader(KitProgress progress) {
        this.progress = progress;
    }

    /**
     * Makes sure {@code target} holds the package described by {@code uri}, downloading only what is missing.
     *
     * @return true if bytes were fetched
     */
    boolean fetch(PrivateApt.Uri uri, Path target, String label) {
        try {
            if (Files.isRegularFile(target) && Files.size(target) == uri.size()
                    && Hashing.sha256(target).equals(uri.sha256())) {
                return false;
            }
            Files.deleteIfExists(target);
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            for (int attempt = 1; ; attempt++) {
                transfer(uri, partial, label);
                if (Files.size(partial) == uri.size() && Hashing.sha256(partial).equals(uri.sha256())) {
                    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return true;
                }
                // a corrupt partial cannot be resumed; start over once
                Files.deleteIfExists(partial);
                if (attempt == 2) {
                    throw new VmmException("The download of " + uri.file() + " does not match the checksum in Debian's"
                            + " signed index, twice; a proxy may be altering downloads — try again later.");
                }
            }
        } catch (IOException e) {
            throw new VmmException("Cannot write " + target + "; check free disk space in the kit cache.", e);
        }
    }

    private void transfer(PrivateApt.Uri uri, Path partial, String label) throws IOException {
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        if (have >= uri.size()) {
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.url())).timeout(Duration.ofMinutes(30));
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
            progress.note("resuming " + uri.file() + " at " + KitProgress.size(have));
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | java.net.http.HttpConnectTimeoutException e) {
            throw unreachable(e);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException("The kit build was interrupted; the partial download is kept for the next try.", e);
        }
        int status = response.statusCode();
        if (status == 404 || status == 410) {
            response.body().close();
            throw new VmmException("The package file " + uri.file() + " is gone from Debian's archive (it was removed"
                    + " from its suite); run `freezeframe kit build --refresh` to resolve current versions.",
                    new IOException("HTTP " + status + " for " + uri.url()));
        }
        boolean append = status == 206;
        if (status != 200 && status != 206) {
            response.body().close();
            throw new VmmException("Debian's archive answered HTTP " + status + " for " + uri.file()
                    + "; try again later.", new IOException(uri.url()));
        }
        long done = append ? have : 0;
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                done += n;
                progress.bytes(label, done, uri.size());
            }
        } catch (IOException e) {
            // keep what arrived: the next run resumes from here
            throw new VmmException("The download of " + uri.file() + " broke off after " + KitProgress.size(done)
                    + "; the partial file is kept and the next `freezeframe kit build` resumes it.", e);
        }
        progress.bytes(label, done, uri.size());
    }

    private static VmmException unreachable(Exception e) {
        return new VmmException("Cannot reach Debian's archive (" + PrivateApt.MIRROR + "); check the network"
                + " connection and try again — partial downloads are kept.", e);
    }
}
