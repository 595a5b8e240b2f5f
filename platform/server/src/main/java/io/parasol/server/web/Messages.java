package io.parasol.server.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** The web app's text in English; {@link MessagesZhCn} holds the Simplified Chinese. */
@MessageBundle(value = "msg", locale = "en")
public interface Messages {

  @Message("Skip to content")
  String skip();

  @Message("Catalog")
  String navCatalog();

  @Message("Runs")
  String navRuns();

  @Message("Account")
  String navAccount();

  @Message("Sign out")
  String signOut();

  @Message("Sign in")
  String signIn();

  @Message("User name")
  String userName();

  @Message("Password")
  String password();

  @Message("Wrong user name or password.")
  String signInFailed();

  @Message("Search apps")
  String search();

  @Message("Industry")
  String industry();

  @Message("Tag")
  String tag();

  @Message("Accelerator")
  String accelerator();

  @Message("Any")
  String any();

  @Message("None (CPU only)")
  String acceleratorNone();

  @Message("GPU")
  String acceleratorGpu();

  @Message("FPGA")
  String acceleratorFpga();

  @Message("Filter")
  String filter();

  @Message("{count} apps")
  String appCount(long count);

  @Message("No app matches these filters.")
  String noApps();

  @Message("by {vendor}")
  String byVendor(String vendor);

  @Message("Version")
  String version();

  @Message("Versions")
  String versions();

  @Message("Vendor")
  String vendor();

  @Message("Licence")
  String licence();

  @Message("Cores")
  String cores();

  @Message("Launch")
  String launch();

  @Message("Launch a run")
  String launchTitle();

  @Message("Run settings")
  String runSettings();

  @Message("Only engineers launch runs.")
  String engineersOnly();

  @Message("Get a quote")
  String getQuote();

  @Message("Quote")
  String quote();

  @Message("Expected cost")
  String expectedCost();

  @Message("Held at most")
  String maximumCost();

  @Message("Partition")
  String partition();

  @Message("Cost")
  String cost();

  @Message("Predicted start")
  String predictedStart();

  @Message("Predicted finish")
  String predictedFinish();

  @Message("Chosen")
  String chosen();

  @Message("Please correct the fields marked below.")
  String fixFields();

  @Message("Upload")
  String upload();

  @Message("Uploading…")
  String uploading();

  @Message("Uploaded {name}")
  String uploaded(String name);

  @Message("or choose a file from your workspace")
  String orWorkspace();

  @Message("Required")
  String required();

  @Message("from {min} to {max}")
  String range(String min, String max);

  @Message("State")
  String state();

  @Message("App")
  String app();

  @Message("Created")
  String created();

  @Message("Finished")
  String finished();

  @Message("All states")
  String allStates();

  @Message("No runs yet.")
  String noRuns();

  @Message("Progress")
  String progress();

  @Message("Log")
  String log();

  @Message("Outputs")
  String outputs();

  @Message("Download")
  String download();

  @Message("Preview")
  String preview();

  @Message("Cancel run")
  String cancel();

  @Message("Run again with the same inputs")
  String rerun();

  @Message("Inputs")
  String inputs();

  @Message("Metrics")
  String metrics();

  @Message("Findings")
  String findings();

  @Message("No findings.")
  String noFindings();

  @Message("Placement")
  String placement();

  @Message("Hold")
  String hold();

  @Message("Balance")
  String balance();

  @Message("Holds")
  String holds();

  @Message("Available")
  String available();

  @Message("Credit limit")
  String creditLimit();

  @Message("Ledger")
  String ledger();

  @Message("When")
  String when();

  @Message("Kind")
  String kind();

  @Message("Memo")
  String memo();

  @Message("Amount")
  String amount();

  @Message("Not found")
  String notFound();

  @Message("Something went wrong")
  String error();

  @Message("Back to the catalog")
  String backToCatalog();

  @Message("Previous")
  String previous();

  @Message("Next")
  String next();

  @Message("Publish")
  String navPublish();

  @Message("Review")
  String navReview();

  @Message("Administration")
  String navAdmin();

  @Message("Upload a plugin")
  String uploadPlugin();

  @Message("Drop a plugin jar here, or choose one")
  String dropHere();

  @Message("Choose a jar")
  String chooseJar();

  @Message("Your listings")
  String yourListings();

  @Message("Status")
  String status();

  @Message("Reason")
  String reason();

  @Message("Verification report")
  String report();

  @Message("passed")
  String passed();

  @Message("failed")
  String failed();

  @Message("Submit for review")
  String submit();

  @Message("No listings yet.")
  String noListings();

  @Message("Usage and revenue share")
  String usage();

  @Message("Period")
  String period();

  @Message("Runs")
  String runsCount();

  @Message("Your share")
  String revenueShare();

  @Message("Total")
  String total();

  @Message("Review queue")
  String reviewQueue();

  @Message("Nothing waits for review.")
  String noReviews();

  @Message("What changed")
  String changes();

  @Message("Form")
  String form();

  @Message("Approve")
  String approve();

  @Message("Reject")
  String reject();

  @Message("Reason for the vendor")
  String rejectReason();

  @Message("Clusters and partitions")
  String clusters();

  @Message("Region")
  String region();

  @Message("Backend")
  String backend();

  @Message("Health")
  String health();

  @Message("Nodes")
  String nodes();

  @Message("Price book")
  String priceBook();

  @Message("Resource")
  String resource();

  @Message("Unit price")
  String unitPrice();

  @Message("Since")
  String since();

  @Message("Licence fees")
  String licenceFees();

  @Message("Accounts")
  String accounts();

  @Message("Top up")
  String topUp();

  @Message("Finance")
  String finance();

  @Message("Download CSV")
  String downloadCsv();

  @Message("Revenue")
  String revenue();

  @Message("Audit log")
  String auditLog();

  @Message("Actor")
  String actor();

  @Message("Action")
  String action();

  @Message("Target")
  String target();

  @Message("QUEUED")
  String stateQueued();

  @Message("SCHEDULED")
  String stateScheduled();

  @Message("RUNNING")
  String stateRunning();

  @Message("SUCCEEDED")
  String stateSucceeded();

  @Message("FAILED")
  String stateFailed();

  @Message("CANCELLED")
  String stateCancelled();

  @Message("TIMED_OUT")
  String stateTimedOut();

  @Message("VERIFYING")
  String stateVerifying();

  @Message("VERIFIED")
  String stateVerified();

  @Message("VERIFICATION_FAILED")
  String stateVerificationFailed();

  @Message("IN_REVIEW")
  String stateInReview();

  @Message("PUBLISHED")
  String statePublished();

  @Message("REJECTED")
  String stateRejected();

  @Message("UNLISTED")
  String stateUnlisted();
}
