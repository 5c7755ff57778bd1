package dev.freezeframe.vmm.qemu.gdb;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for the GDB remote serial protocol over a connected socket, as spoken by QEMU's gdbstub. One reader thread
 * decodes what arrives, acknowledges each packet ({@code +}, or {@code -} to get a damaged one again) and queues it;
 * callers send a packet and take the next queued one as its reply. The protocol is strictly one request, one reply, so
 * the caller (one conversation at a time) decides what a packet means: a command reply while the target is stopped, a
 * stop reply while it runs.
 *
 * <p>Every wait is bounded. A reply that does not come in time breaks the conversation (a late reply would be taken
 * for the answer to the next request), so the client refuses further requests after a timeout.
 *
 * <p>QEMU 7.2 does not offer {@code QStartNoAckMode}; acknowledgements are on unless the stub offers to turn them off.
 */
public final class GdbRemoteClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GdbRemoteClient.class);
    /** QEMU's packets are at most 4 KiB (PacketSize=1000 hex); anything far beyond that is garbage. */
    private static final int MAX_PACKET_BYTES = 1 << 20;
    private static final byte INTERRUPT = 0x03;
    private static final int MAX_RESENDS = 3;
    /** A write only waits for room in the socket buffer; this long means QEMU stopped reading. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    /** What the reader queues: a packet, a decoding failure, or the end of the connection. */
    private sealed interface Incoming {
    }

    private record PacketIn(String payload) implements Incoming {
    }

    private record FailureIn(GdbProtocolException error) implements Incoming {
    }

    private record ClosedIn() implements Incoming {
    }

    private final SocketChannel channel;
    private final String name;
    private final BlockingQueue<Incoming> incoming = new LinkedBlockingQueue<>();
    /**
     * All writes go through this one thread: a socket channel is closed for good when a thread writing to it is
     * interrupted, and callers' threads may be interrupted (a coordinator stopping its worker) — that must not cut the
     * VM's debug connection. A single thread also keeps acknowledgements and packets whole and in order.
     */
    private final java.util.concurrent.ExecutorService writer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread reader;
    private volatile boolean acks = true;
    private volatile byte[] lastSent;
    private volatile boolean broken;
    private volatile boolean ended;
    private volatile int resends;
    /** Packets sent and acknowledgements received, to know when the stub has taken a packet that has no reply. */
    private final Object ackMonitor = new Object();
    private long packetsSent; // guarded by ackMonitor
    private long acksReceived; // guarded by ackMonitor

    private GdbRemoteClient(SocketChannel channel, String name) {
        this.channel = channel;
        this.name = name;
        this.writer = java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("gdb-writer-" + name).factory());
        this.reader = Thread.ofPlatform().daemon().name("gdb-reader-" + name).start(this::readLoop);
    }

    /** Wraps a connected socket and starts reading. */
    public static GdbRemoteClient over(SocketChannel connected, String name) {
        return new GdbRemoteClient(connected, name);
    }

    // ---- raw conversation ----

    /**
     * Sends a packet and returns the stub's reply, waiting at most {@code timeout}. A stop reply that arrives in place of
     * the reply to anything but {@code ?} is a stale one — the target was stopped twice, say by a pause from elsewhere
     * and by our interrupt, and only one stop was read — and is skipped, so it cannot be taken for this reply; no reply
     * to these requests starts like a stop reply. An exit report ends the wait with VM_GONE.
     */
    public String request(String payload, Duration timeout) {
        send(payload);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String reply = awaitPacket(deadline, timeout, payload);
            if (payload.equals("?") || !StopReply.looksLikeStopReply(reply)) {
                return reply;
            }
            if (reply.charAt(0) == 'W' || reply.charAt(0) == 'X') {
                throw gone(payload);
            }
            LOG.debug("gdbstub {}: skipping a stale stop reply {} while waiting for the reply to {}", name, reply,
                    payload);
        }
    }

    /** Sends a packet that has no reply (or whose reply comes much later, such as {@code c}). */
    public void send(String payload) {
        requireUsable(payload);
        byte[] packet = GdbPackets.frame(payload);
        lastSent = packet;
        resends = 0;
        synchronized (ackMonitor) {
            packetsSent++;
        }
        write(packet, payload);
    }

    /**
     * Sends a packet that has no reply and waits until the stub has acknowledged it. QEMU acknowledges a packet and acts
     * on it in the same step of its main loop, so after the acknowledgement anything else QEMU does (a QMP command, say)
     * sees the effect — for {@code c}, a running guest. Without acknowledgements (no-ack mode) this only sends.
     */
    public void sendAcknowledged(String payload, Duration timeout) {
        long target;
        synchronized (ackMonitor) {
            target = packetsSent + 1;
        }
        send(payload);
        if (!acks) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            synchronized (ackMonitor) {
                while (acksReceived < target) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || ended) {
                        broken = !ended;
                        throw ended ? gone(payload) : new VmmException(VmmException.Kind.CONTROL_FAILED, "QEMU's "
                                + "gdbstub did not acknowledge '" + shortWhat(payload) + "' within " + millis(timeout)
                                + ".");
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(ackMonitor, left);
                    } catch (InterruptedException e) {
                        interrupted = true; // see awaitPacket: finish the exchange, keep the interrupt for the caller
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks a running target to stop ({@code 0x03}); the stop reply comes as a packet. */
    public void interrupt() {
        requireUsable("interrupt");
        write(new byte[] {INTERRUPT}, "interrupt");
    }

    /**
     * The next packet from the stub.
     *
     * @param what what the caller waits for, for the error message
     * @throws VmmException CONTROL_FAILED on timeout (the client is then unusable) or a malformed packet; VM_GONE when
     *                      the connection has ended
     */
    public String awaitPacket(Duration timeout, String what) {
        return awaitPacket(System.nanoTime() + timeout.toNanos(), timeout, what);
    }

    private String awaitPacket(long deadlineNanos, Duration timeout, String what) {
        if (broken) {
            throw brokenError(what);
        }
        // An interrupt of the calling thread does not abandon the exchange: the reply would come later and be taken for
        // the reply to the next request. The wait (bounded anyway) goes on and the interrupt is handed back after.
        Incoming next = null;
        boolean interrupted = false;
        while (true) {
            try {
                next = incoming.poll(Math.max(deadlineNanos - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (next == null) {
            broken = true;
            throw new VmmException(VmmException.Kind.CONTROL_FAILED, "QEMU's gdbstub did not answer '" + shortWhat(what)
                    + "' within " + millis(timeout) + "; it may be overloaded or hung.");
        }
        return switch (next) {
            case PacketIn p -> p.payload();
            case FailureIn f -> throw f.error();
            case ClosedIn c -> {
                incoming.add(c); // every later wait sees the end too
                throw gone(what);
            }
        };
    }

    /** Waits for the next packet without a time limit (used while the target runs); ends with VM_GONE. */
    public String awaitPacketForever(String what) {
        while (true) {
            try {
                // no deadline: while the target runs, the next stop may come at any time; the VM's end ends the wait (VM_GONE)
                Incoming next = incoming.take();
                return switch (next) {
                    case PacketIn p -> p.payload();
                    case FailureIn f -> throw f.error();
                    case ClosedIn c -> {
                        incoming.add(c);
                        throw gone(what);
                    }
                };
            } catch (InterruptedException e) {
                if (closed.get()) {
                    throw gone(what);
                }
            }
        }
    }

    public boolean isEnded() {
        return ended;
    }

    // ---- requests QEMU's gdbstub understands ----

    /** {@code qSupported}: the stub's feature list ({@code name+}, {@code name-}, {@code name=value}). */
    public List<String> querySupported(Duration timeout) {
        String reply = request("qSupported:xmlRegisters=i386", timeout);
        if (reply.isEmpty() || reply.startsWith("E")) {
            throw new GdbProtocolException("QEMU's gdbstub did not answer the feature query.", reply);
        }
        return List.of(reply.split(";"));
    }

    /** Turns acknowledgements off, if the stub offered {@code QStartNoAckMode+}; returns whether it did. */
    public boolean startNoAckMode(Duration timeout) {
        String reply = request("QStartNoAckMode", timeout);
        if (reply.equals("OK")) {
            acks = false;
            return true;
        }
        return false;
    }

    /** Reads a whole annex of {@code qXfer:features:read} (target description files), in chunks. */
    public String readFeatureAnnex(String annex, Duration timeout) {
        StringBuilder text = new StringBuilder();
        final int chunk = 0x800;
        for (int round = 0; round < 4096; round++) {
            String reply = request("qXfer:features:read:" + annex + ":" + Integer.toHexString(text.length()) + ","
                    + Integer.toHexString(chunk), timeout);
            if (reply.isEmpty() || (reply.charAt(0) != 'm' && reply.charAt(0) != 'l')) {
                throw new GdbProtocolException("QEMU's gdbstub did not send its target description file " + annex + ".",
                        reply);
            }
            byte[] data = GdbPackets.unescape(reply.substring(1).getBytes(StandardCharsets.ISO_8859_1));
            text.append(new String(data, StandardCharsets.UTF_8));
            if (reply.charAt(0) == 'l') {
                return text.toString();
            }
            if (data.length == 0) {
                throw new GdbProtocolException("QEMU's gdbstub sent an empty chunk of " + annex + " without ending it.",
                        reply);
            }
        }
        throw new GdbProtocolException("QEMU's gdbstub sent a target description file that does not end.", annex);
    }

    /** The thread ids ({@code qfThreadInfo} / {@code qsThreadInfo}); for QEMU, vCPU index + 1 each. */
    public List<Integer> threadIds(Duration timeout) {
        List<Integer> ids = new ArrayList<>();
        String reply = request("qfThreadInfo", timeout);
        for (int round = 0; round < 1024; round++) {
            if (reply.equals("l")) {
                return List.copyOf(ids);
            }
            if (!reply.startsWith("m") || reply.length() < 2) {
                throw new GdbProtocolException("QEMU's gdbstub sent a malformed thread list.", reply);
            }
            for (String id : reply.substring(1).split(",")) {
                ids.add(StopReply.parseThreadId(id));
            }
            reply = request("qsThreadInfo", timeout);
        }
        throw new GdbProtocolException("QEMU's gdbstub sent a thread list that does not end.", reply);
    }

    /** {@code Hg}: the thread later {@code g}, {@code p} and {@code m} requests apply to. */
    public void selectThread(int threadId, Duration timeout) {
        requireOk(request("Hg" + Integer.toHexString(threadId), timeout), "select vCPU thread " + threadId);
    }

    /** {@code g}: all registers of the selected thread, as hex. */
    public String readRegisters(Duration timeout) {
        String reply = request("g", timeout);
        if (reply.isEmpty() || isError(reply)) {
            throw new GdbProtocolException("QEMU's gdbstub could not read the registers of a vCPU.", reply);
        }
        return reply;
    }

    /** {@code p}: one register of the selected thread, raw bytes in target order; empty array if unavailable. */
    public byte[] readRegister(int number, Duration timeout) {
        String reply = request("p" + Integer.toHexString(number), timeout);
        if (reply.isEmpty() || isError(reply)) {
            throw new GdbProtocolException("QEMU's gdbstub could not read register " + number + ".", reply);
        }
        if (reply.indexOf('x') >= 0) {
            return new byte[0];
        }
        return GdbPackets.hexToBytes(reply);
    }

    /**
     * {@code m}: bytes of memory as the selected thread sees it (guest-virtual, unless physical mode is on).
     *
     * @throws GdbProtocolException when the stub cannot read there or replies with the wrong length
     */
    public byte[] readMemory(long address, int length, Duration timeout) {
        String reply = request("m" + Long.toHexString(address) + "," + Integer.toHexString(length), timeout);
        if (isError(reply)) {
            throw new GdbProtocolException("QEMU's gdbstub could not read " + length + " bytes at 0x"
                    + Long.toHexString(address) + ".", reply);
        }
        byte[] bytes = GdbPackets.hexToBytes(reply);
        if (bytes.length != length) {
            throw new GdbProtocolException("QEMU's gdbstub returned " + bytes.length + " bytes where " + length
                    + " were asked for.", reply);
        }
        return bytes;
    }

    /** {@code M}: writes bytes of memory (used by tests to check that both views of guest RAM agree). */
    public void writeMemory(long address, byte[] bytes, Duration timeout) {
        StringBuilder hex = new StringBuilder("M" + Long.toHexString(address) + "," + Integer.toHexString(bytes.length)
                + ":");
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        requireOk(request(hex.toString(), timeout), "write guest memory");
    }

    /** Result of inserting or removing a break/watchpoint. */
    public enum PointResult { OK, UNSUPPORTED, ERROR }

    /**
     * {@code Z}/{@code z} packets: type 2 write, 3 read, 4 access watchpoint; {@code kind} is the length in bytes.
     */
    public PointResult point(boolean insert, int type, long address, int length, Duration timeout) {
        String reply = request((insert ? "Z" : "z") + type + "," + Long.toHexString(address) + ","
                + Integer.toHexString(length), timeout);
        if (reply.equals("OK")) {
            return PointResult.OK;
        }
        if (reply.isEmpty()) {
            return PointResult.UNSUPPORTED;
        }
        if (isError(reply)) {
            return PointResult.ERROR;
        }
        throw new GdbProtocolException("QEMU's gdbstub answered a watchpoint request with something unexpected.", reply);
    }

    /** Sends a QEMU-specific setting such as {@code Qqemu.PhyMemMode:1}; returns whether the stub accepted it. */
    public boolean setQemuOption(String packet, Duration timeout) {
        return request(packet, timeout).equals("OK");
    }

    public static boolean isError(String reply) {
        return reply.length() == 3 && reply.charAt(0) == 'E' && Character.digit(reply.charAt(1), 16) >= 0
                && Character.digit(reply.charAt(2), 16) >= 0;
    }

    private static void requireOk(String reply, String what) {
        if (!reply.equals("OK")) {
            throw new GdbProtocolException("QEMU's gdbstub refused to " + what + ".", reply);
        }
    }

    // ---- plumbing ----

    private void write(byte[] bytes, String what) {
        java.util.concurrent.Future<?> done;
        try {
            done = writer.submit(() -> {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                return null;
            });
        } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
            throw gone(what);
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        try {
            while (true) {
                try {
                    done.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the write is quick; finish it
                } catch (java.util.concurrent.ExecutionException e) {
                    throw gone(what);
                } catch (java.util.concurrent.TimeoutException e) {
                    broken = true;
                    throw new VmmException(VmmException.Kind.CONTROL_FAILED, "QEMU's gdbstub stopped reading; '"
                            + shortWhat(what) + "' could not be sent within " + millis(WRITE_TIMEOUT) + ".");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readLoop() {
        PacketDecoder decoder = new PacketDecoder(MAX_PACKET_BYTES);
        ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                try {
                    decoder.feed(buffer.array(), 0, n, this::onUnit);
                } catch (GdbProtocolException e) {
                    LOG.warn("gdbstub {}: {} ({})", name, e.getMessage(), e.packet());
                    incoming.add(new FailureIn(e));
                }
            }
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.debug("gdbstub {}: connection ended", name, e);
            }
        } finally {
            ended = true;
            incoming.add(new ClosedIn());
            synchronized (ackMonitor) {
                ackMonitor.notifyAll();
            }
        }
    }

    private void onUnit(PacketDecoder.Unit unit) {
        switch (unit) {
            case PacketDecoder.Ack a -> {
                synchronized (ackMonitor) {
                    acksReceived++;
                    ackMonitor.notifyAll();
                }
            }
            case PacketDecoder.Nack n -> resendLast();
            case PacketDecoder.Packet p -> {
                if (acks) {
                    ackOrNack(p.checksumOk());
                }
                if (p.checksumOk() || !acks) {
                    if (!p.checksumOk()) {
                        incoming.add(new FailureIn(new GdbProtocolException(
                                "QEMU's gdbstub sent a packet with a wrong checksum.", p.payload())));
                    } else {
                        incoming.add(new PacketIn(p.payload()));
                    }
                }
                // with acks on, a damaged packet is answered with '-' and QEMU sends it again
            }
        }
    }

    private void ackOrNack(boolean ok) {
        try {
            write(new byte[] {(byte) (ok ? '+' : '-')}, "acknowledge");
        } catch (VmmException e) {
            LOG.debug("gdbstub {}: could not acknowledge a packet", name, e);
        }
    }

    private void resendLast() {
        byte[] last = lastSent;
        if (last == null || ++resends > MAX_RESENDS) {
            incoming.add(new FailureIn(new GdbProtocolException("QEMU's gdbstub kept rejecting a packet as damaged.",
                    last == null ? "" : GdbPackets.latin1(last))));
            return;
        }
        try {
            write(last, "resend");
        } catch (VmmException e) {
            LOG.debug("gdbstub {}: could not resend", name, e);
        }
    }

    private void requireUsable(String what) {
        if (broken) {
            throw brokenError(what);
        }
        if (closed.get() || ended) {
            throw gone(what);
        }
    }

    private static VmmException brokenError(String what) {
        return new VmmException(VmmException.Kind.CONTROL_FAILED, "QEMU's gdbstub stopped answering earlier, so '"
                + shortWhat(what) + "' cannot be sent; the VM can no longer be frozen.");
    }

    private static VmmException gone(String what) {
        return new VmmException(VmmException.Kind.VM_GONE, "QEMU's gdbstub connection is closed, so '" + shortWhat(what)
                + "' cannot run; the VM has probably ended.");
    }

    private static String shortWhat(String what) {
        return what.length() <= 40 ? what : what.substring(0, 40) + "…";
    }

    private static String millis(Duration d) {
        return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.shutdown();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("gdbstub {}: closing the socket", name, e);
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
