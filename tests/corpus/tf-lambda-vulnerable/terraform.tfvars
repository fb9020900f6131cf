stage     = "prod"
api_token = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
