package io.parasol.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parasol.protocol.PluginContainer;
import io.parasol.worker.sandbox.Sandbox;
import org.junit.jupiter.api.Test;

/** The plugin container's contract, written in the protocol module, holds for this worker. */
class PluginContainerTest {

  @Test
  void theContainerRunsThisWorkersPluginProcessAtTheSandboxsPaths() {
    assertEquals(PluginProcessMain.class.getName(), PluginContainer.MAIN);
    assertTrue(PluginContainer.command().get(2).contains(" " + PluginContainer.MAIN + " "));
    assertEquals(Sandbox.WORK, PluginContainer.WORK);
    assertEquals(Sandbox.INPUTS, PluginContainer.INPUTS);
    assertEquals(Sandbox.PLUGIN, PluginContainer.PLUGIN);
  }
}
