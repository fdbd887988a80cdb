using Matchmaker.Cli;

return await MmCommand.Create().Parse(args).InvokeAsync();
