global using Cloister.Model.Api;
global using Cloister.Gateway.Authorization;
