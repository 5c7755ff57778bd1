package dev.freezeframe.coordinator.introspect.btf;

/**
 * A BTF blob or a lookup in it is not what it should be: a bad header, a section or type record out of bounds, an
 * unknown kind, a type id out of range, a cycle, a member that does not exist. BTF may come from untrusted guest
 * memory, so every such problem ends here, checked, with a sentence saying what and where — never as an unchecked
 * exception.
 */
public class BtfException extends Exception {
    public BtfException(String message) {
        super(message);
    }

    public BtfException(String message, Throwable cause) {
        super(message, cause);
    }
}
