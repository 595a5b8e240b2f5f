package io.parasol.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium, headless, driven through Debian's chromedriver, for the browser tests. */
public final class Chromium {

  static final String BINARY = System.getProperty("parasol.chromium", "/usr/bin/chromium");
  static final String DRIVER = System.getProperty("parasol.chromedriver", "/usr/bin/chromedriver");

  private Chromium() {}

  /** Whether Chromium and chromedriver are installed. */
  public static boolean installed() {
    return new File(BINARY).canExecute() && new File(DRIVER).canExecute();
  }

  /** Why the browser tests are skipped, for the test report. */
  public static String missing() {
    return "browser tests skipped: no Chromium at "
        + BINARY
        + " or no chromedriver at "
        + DRIVER
        + " (apt-get install chromium chromium-driver)";
  }

  /** Starts a browser (with its own driver process) that downloads into {@code downloads}. */
  public static WebDriver start(Path downloads) throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        "--lang=en-GB",
        "--user-data-dir=" + Files.createTempDirectory("parasol-chromium"));
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
    prefs.put("download.prompt_for_download", false);
    prefs.put("intl.accept_languages", "en-GB,en");
    options.setExperimentalOption("prefs", prefs);
    // Quitting a browser stops its driver, so each browser gets its own.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
