global using Cloister.Gateway.Authorization;
global using Cloister.Model.Api;
