// Stops the compile when a data contract breaks a rule of `landform contracts validate` (the same
// shared rules): one error, here, naming the file, the path and the rule. It lives in its own file
// so that every model and include still compiles and this is the only error Dataform prints.
contracts.assertValid();
