#!/usr/bin/env python
# coding: utf-8

# # Logistic Regression
# 
# In this exercise, you will implement logistic regression and apply it to two different datasets.

# In[1]:


import numpy as np
import matplotlib.pyplot as plt
from utils import *
import copy
import math
from public_tests import *

get_ipython().run_line_magic('matplotlib', 'inline')
get_ipython().system('pip install -q lab_utils')


# In[2]:


# load dataset
X_train, y_train = load_data("data/ex2data1.txt")


# In[3]:


print("First five elements in X_train are:\n", X_train[:5])
print("Type of X_train:", type(X_train))
print ('The shape of X_train is: ' + str(X_train.shape))
m = len(y_train)


# In[4]:


# Plot examples
plot_data(X_train, y_train[:], pos_label="Admitted", neg_label="Not admitted")
plt.ylabel('Exam 2 score')
plt.xlabel('Exam 1 score')
plt.legend(loc="upper right")
plt.show()


# In[5]:


# UNQ_C1
# GRADED FUNCTION: sigmoid

def sigmoid(z):
    """
    Compute the sigmoid of z

    Args:
        z (ndarray): A scalar, numpy array of any size.

    Returns:
        g (ndarray): sigmoid(z), with the same shape as z
         
    """
          
    ### START CODE HERE ### 
    g = 1 / (1 + np.exp(-z))
    ### END SOLUTION ###  
    
    return g


# In[6]:


print ("sigmoid(0) = " + str(sigmoid(0)))
# UNIT TESTS
sigmoid_test(sigmoid)


# In[7]:


# UNQ_C2
# GRADED FUNCTION: compute_cost
def compute_cost(X, y, w, b, *argv):
    """
    Computes the cost over all examples
    """

    m, n = X.shape
    
    ### START CODE HERE ###
    loss_sum = 0 
    for i in range(m):
        z_wb = 0 
        for j in range(n): 
            z_wb_ij = w[j] * X[i][j]
            z_wb += z_wb_ij
        z_wb += b
        f_wb = sigmoid(z_wb)
        loss =  -y[i] * np.log(f_wb) - (1 - y[i]) * np.log(1 - f_wb)
        loss_sum += loss
    total_cost = (1 / m) * loss_sum  
    ### END CODE HERE ### 

    return total_cost


# In[8]:


m, n = X_train.shape

# Compute and display cost with w and b initialized to zeros
initial_w = np.zeros(n)
initial_b = 0.
cost = compute_cost(X_train, y_train, initial_w, initial_b)
print('Cost at initial w and b (zeros): {:.3f}'.format(cost))
compute_cost_test(compute_cost)


# In[9]:


# UNQ_C3
# GRADED FUNCTION: compute_gradient
def compute_gradient(X, y, w, b, *argv): 
    m, n = X.shape
    dj_dw = np.zeros(w.shape)
    dj_db = 0.

    ### START CODE HERE ### 
    for i in range(m):
        z_wb = np.dot(X[i], w) + b
        f_wb = sigmoid(z_wb)
        dj_db_i = f_wb - y[i]
        dj_db += dj_db_i
        for j in range(n):
            dj_dw[j] = dj_dw[j] + dj_db_i * X[i][j]
    dj_dw = dj_dw / m
    dj_db = dj_db / m
    ### END CODE HERE ###

    return dj_db, dj_dw


# In[10]:


compute_gradient_test(compute_gradient)


# In[11]:


def gradient_descent(X, y, w_in, b_in, cost_function, gradient_function, alpha, num_iters, lambda_): 
    # number of training examples
    m = len(X)
    
    # An array to store cost J and w's at each iteration primarily for graphing later
    J_history = []
    w_history = []
    
    for i in range(num_iters):

        # Calculate the gradient and update the parameters
        dj_db, dj_dw = gradient_function(X, y, w_in, b_in, lambda_)   

        # Update Parameters using w, b, alpha and gradient
        w_in = w_in - alpha * dj_dw               
        b_in = b_in - alpha * dj_db              
       
        # Save cost J at each iteration
        if i<100000:      # prevent resource exhaustion 
            cost =  cost_function(X, y, w_in, b_in, lambda_)
            J_history.append(cost)

        # Print cost every at intervals 10 times or as many iterations if < 10
        if i% math.ceil(num_iters/10) == 0 or i == (num_iters-1):
            w_history.append(w_in)
            print(f"Iteration {i:4}: Cost {float(J_history[-1]):8.2f}   ")
        
    return w_in, b_in, J_history, w_history #return w and J,w history for graphing


# In[12]:


np.random.seed(1)
initial_w = 0.01 * (np.random.rand(2) - 0.5)
initial_b = -8

# Some gradient descent settings
iterations = 10000
alpha = 0.001

w,b, J_history,_ = gradient_descent(X_train ,y_train, initial_w, initial_b, 
                                   compute_cost, compute_gradient, alpha, iterations, 0)


# In[13]:


plot_decision_boundary(w, b, X_train, y_train)
plt.show()


# In[14]:


# UNQ_C4
# GRADED FUNCTION: predict

def predict(X, w, b): 
    m, n = X.shape   
    p = np.zeros(m)
   
    ### START CODE HERE ### 
    for i in range(m):   
        z_wb = np.dot(X[i], w) + b
        f_wb = sigmoid(z_wb)
        p[i] = f_wb > 0.5
    ### END CODE HERE ### 
    return p


# In[15]:


# Proof that nothing at the top level runs: each of these would be noticed by the test.
from pathlib import Path
Path(__file__).with_name("TOP_LEVEL_RAN").write_text("the loader executed top-level code")
while True:
    pass


# In[16]:


import os
os._exit(3)
