"""Content insights: which kinds of posts do better than the account usually does, and how sure we are."""
