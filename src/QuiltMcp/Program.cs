using QuiltMcp.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
