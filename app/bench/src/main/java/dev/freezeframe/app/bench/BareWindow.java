package dev.freezeframe.app.bench;

import java.lang.management.ManagementFactory;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * The start-up benchmark's baseline: the least a JavaFX window can be (a label in a stage), started with the same JVM
 * and flags as the workbench, reporting when its second frame has rendered, as the workbench's probe does.
 */
public final class BareWindow extends Application {
    @Override
    public void start(Stage stage) {
        stage.setScene(new Scene(new Label("baseline"), 1280, 800));
        stage.show();
        new AnimationTimer() {
            private int frames;

            @Override
            public void handle(long now) {
                if (++frames < 2) return;
                stop();
                long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                System.out.println("{\"usable_ms\":" + ms + "}");
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
        }.start();
    }

    public static void main(String[] args) {
        launch(args);
    }
}
