package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageTypeTest {
    @Test
    void exactlyTheDesignsInternalTypesAreCoordinatorInternal() {
        EnumSet<MessageType> internal = EnumSet.noneOf(MessageType.class);
        for (MessageType t : MessageType.values()) if (t.coordinatorInternal()) internal.add(t);

        assertEquals(EnumSet.of(MessageType.SYS_RDY, MessageType.SNAPSHOT_REQUEST, MessageType.SNAPSHOT_REPLY,
                MessageType.KERNEL_OP_REQUEST, MessageType.KERNEL_OP_REPLY, MessageType.RUN_PLAN,
                MessageType.PLAN_UPDATE, MessageType.INCLUDE_FILE), internal);
    }

    @Test
    void everyCodeMapsBackToItsType() {
        for (MessageType t : MessageType.values()) assertEquals(Optional.of(t), MessageType.fromCode(t.code()));
        assertEquals(MessageType.values().length,
                Arrays.stream(MessageType.values()).mapToInt(MessageType::code).distinct().count());
    }

    @Test
    void codesOutsideTheTableAreUnknown() {
        for (int code : new int[] {0, 1, 0x4646_0000, 0x4646_0040, 0x4646_FFFF, 0x4647_0001, 0x0000_0001 | 0x4545_0000,
                -1, 0xDEAD_BEEF}) {
            assertTrue(MessageType.fromCode(code).isEmpty(), () -> "0x" + Integer.toHexString(code));
        }
    }

    @Test
    void onlySnapshotReplyKernelOpRequestRunPlanPlanUpdateAndIncludedFilesGoHostToGuest() {
        EnumSet<MessageType> hostToGuest = EnumSet.noneOf(MessageType.class);
        for (MessageType t : MessageType.values()) {
            if (t.direction() == MessageType.Direction.HOST_TO_GUEST) hostToGuest.add(t);
        }
        assertEquals(EnumSet.of(MessageType.SNAPSHOT_REPLY, MessageType.KERNEL_OP_REQUEST, MessageType.RUN_PLAN,
                MessageType.PLAN_UPDATE, MessageType.INCLUDE_FILE), hostToGuest);
    }
}
