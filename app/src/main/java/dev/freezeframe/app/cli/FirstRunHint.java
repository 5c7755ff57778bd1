package dev.freezeframe.app.cli;

import picocli.CommandLine.Model.CommandSpec;

/** What an empty archive tells the user to do first. It names only commands that this build really has. */
public final class FirstRunHint {
    private FirstRunHint() {
    }

    public static String sentence(CommandSpec root) {
        if (root.subcommands().containsKey("run")) {
            return "Start a first run with: freezeframe run --scheduler scx_simple --scenario cpu-pingpong";
        }
        if (root.subcommands().containsKey("kit")) {
            return "This build cannot start runs yet; prepare the guest with: freezeframe kit build";
        }
        return "This build cannot start runs yet; runs appear here once recorded.";
    }
}
