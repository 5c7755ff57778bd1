/**
 * The guest ↔ host wire protocol: 16-byte framed messages with a CRC ({@link
 * dev.freezeframe.coordinator.wire.FrameHeader}, {@link dev.freezeframe.coordinator.wire.FrameEncoder}), a streaming
 * assembler that survives split reads and garbage ({@link dev.freezeframe.coordinator.wire.FrameAssembler}), payload
 * codecs ({@link dev.freezeframe.coordinator.wire.MessageCodec}) and the dispatch gates that keep an untrusted guest
 * from forging harness state or verdicts ({@link dev.freezeframe.coordinator.wire.Dispatcher}).
 *
 * <p>The full specification — frame layout, type codes, payload layouts, resync rule, gates — is the resource
 * {@code wire-protocol.md} next to these classes; the guest's side is {@code vmm/src/main/c/agent/ffwire.h}.
 */
package dev.freezeframe.coordinator.wire;
